package dev.mediaflow.bench.kernels;

import dev.mediaflow.transform.image.ImageProcessor;
import dev.mediaflow.transform.image.ImageRequest;
import dev.mediaflow.transform.image.PixelArray;
import dev.mediaflow.transform.image.ProcessedImage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * PNG speed per compression level ({@code mediaflow.transform.png.compression.level}) and
 * compressor: the whole {@link ImageProcessor#process} on {@code img_<kind>_<side>.npy}, with
 * libdeflate (the default where Debian's libdeflate0 is installed) and with the JDK's zlib
 * (forced by {@code -Dmediaflow.png.compressor=zlib} in its own fork). Sizes: {@link PngLevelFacts};
 * Pillow's side and the table: {@code tools/bench/run-png-levels.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PngLevelBench {
  @Param({"smooth", "random"})
  public String kind;

  @Param({"1024"})
  public int side;

  @Param({"1", "3", "6", "7", "9", "12"})
  public int level;

  private ImageRequest request;

  @Setup(Level.Trial)
  public void load() {
    NpyFile f = NpyFile.read(BenchInputs.dir(), "img_" + kind + "_" + side);
    PixelArray array = PixelArray.of(PixelArray.Dtype.UINT8, f.shape(), f.data());
    request = ImageRequest.builder(array).fileType("png").pngCompressionLevel(level).build();
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = "-Dmediaflow.png.compressor=auto")
  public ProcessedImage libdeflate() {
    return ImageProcessor.process(request);
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = "-Dmediaflow.png.compressor=zlib")
  public ProcessedImage zlib() {
    return ImageProcessor.process(request);
  }
}
