package dev.mediaflow.bench.kernels;

import dev.mediaflow.transform.image.ImageProcessor;
import dev.mediaflow.transform.image.ImageRequest;
import dev.mediaflow.transform.image.PixelArray;
import dev.mediaflow.transform.image.ProcessedImage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The whole image path ({@link ImageProcessor#process}: mode, uint8 pass-through, pack,
 * encode) on uint8 side × side × 3 images, random noise or a smooth synthetic picture
 * ({@code img_<kind>_<side>.npy}); reference {@code PIL.Image.fromarray(a).save(buf, format)}
 * with Pillow's defaults (PNG zlib level 6; JPEG quality 75, 4:2:0).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class EncodeBench {
  @Param({"png", "jpg"})
  public String format;

  @Param({"random", "smooth"})
  public String kind;

  @Param({"256", "512", "1024"})
  public int side;

  private ImageRequest request;

  @Setup(Level.Trial)
  public void load() {
    NpyFile f = NpyFile.read(BenchInputs.dir(), "img_" + kind + "_" + side);
    PixelArray array = PixelArray.of(PixelArray.Dtype.UINT8, f.shape(), f.data());
    request = ImageRequest.builder(array).fileType(format).build();
  }

  @Benchmark
  public ProcessedImage encode() {
    return ImageProcessor.process(request);
  }
}
