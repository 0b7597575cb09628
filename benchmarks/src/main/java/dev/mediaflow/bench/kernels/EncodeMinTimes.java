package dev.mediaflow.bench.kernels;

import dev.mediaflow.transform.image.ImageProcessor;
import dev.mediaflow.transform.image.ImageRequest;
import dev.mediaflow.transform.image.PixelArray;
import java.nio.file.Path;

/**
 * The fastest {@link ImageProcessor#process} of about 4 s of calls per image, for alternating
 * with {@code encode_minof.py alt} (Pillow, same images, same timing) on a loaded machine,
 * where a JMH run of minutes and a Pillow run of seconds see different loads.
 *
 * <pre>taskset -c 0 java -cp … EncodeMinTimes INPUTS png/smooth/1024 jpg/random/1024 …</pre>
 */
public final class EncodeMinTimes {
  private EncodeMinTimes() {}

  public static void main(String[] args) {
    for (int i = 1; i < args.length; i++) {
      String[] p = args[i].split("/");
      NpyFile f = NpyFile.read(Path.of(args[0]), "img_" + p[1] + "_" + p[2]);
      ImageRequest request = ImageRequest.builder(PixelArray.of(PixelArray.Dtype.UINT8, f.shape(), f.data()))
          .fileType(p[0]).build();
      long best = Long.MAX_VALUE;
      int runs = 0;
      int bytes = ImageProcessor.process(request).encoded().length;
      long end = System.nanoTime() + 4_000_000_000L;
      while (System.nanoTime() < end || runs < 10) {
        long t0 = System.nanoTime();
        ImageProcessor.process(request);
        best = Math.min(best, System.nanoTime() - t0);
        runs++;
      }
      System.out.printf("ours %s min %.2f ms (%d runs) %d bytes%n", args[i], best / 1e6, runs, bytes);
    }
  }
}
