package dev.mediaflow.bench.kernels;

import dev.mediaflow.transform.image.ImageProcessor;
import dev.mediaflow.transform.image.ImageRequest;
import dev.mediaflow.transform.image.PixelArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Output sizes for {@link PngLevelBench}: one JSON line per (kind, level) with the size of the
 * PNG written by the compressor this JVM chose ({@code -Dmediaflow.png.compressor=auto|zlib}).
 *
 * <pre>java -Dmediaflow.png.compressor=zlib -cp … PngLevelFacts INPUTS OUT.json NAME</pre>
 */
public final class PngLevelFacts {
  private PngLevelFacts() {}

  public static void main(String[] args) throws IOException {
    Path inputs = Path.of(args[0]);
    List<String> lines = new ArrayList<>();
    for (String kind : List.of("smooth", "random")) {
      NpyFile f = NpyFile.read(inputs, "img_" + kind + "_1024");
      PixelArray array = PixelArray.of(PixelArray.Dtype.UINT8, f.shape(), f.data());
      for (int level : new int[] {0, 1, 3, 6, 7, 9, 12}) {
        int bytes = ImageProcessor.process(ImageRequest.builder(array).fileType("png").pngCompressionLevel(level)
            .build()).encoded().length;
        lines.add("{\"compressor\": \"" + args[2] + "\", \"kind\": \"" + kind + "\", \"level\": " + level
            + ", \"bytes\": " + bytes + "}");
      }
    }
    Files.write(Path.of(args[1]), lines);
  }
}
