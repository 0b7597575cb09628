package dev.mediaflow.bench.kernels;

import dev.mediaflow.transform.image.PixelArray;
import dev.mediaflow.transform.image.PixelNormalizer;
import java.util.ArrayList;
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

/** {@link PixelNormalizer#toUint8} on random uint8 side × side × 3 arrays (min/max, then a copy). */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PassThroughBench {
  @Param({"256", "512", "1024", "2048"})
  public int side;

  private PixelArray array;

  /** {@code vector} (Vector API) or {@code scalar} kernels (see {@link KernelChoice}). */
  @Param({"vector", "scalar"})
  public String kernels;

  @Setup(Level.Trial)
  public void load() {
    KernelChoice.apply(kernels);
    NpyFile f = NpyFile.read(BenchInputs.dir(), "norm_uint8_" + side);
    array = PixelArray.of(PixelArray.Dtype.UINT8, f.shape(), f.data());
  }

  @Benchmark
  public byte[] uint8() {
    return PixelNormalizer.toUint8(array, true, new ArrayList<>(1));
  }
}
