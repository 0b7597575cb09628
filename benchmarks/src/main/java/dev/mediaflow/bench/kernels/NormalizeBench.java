package dev.mediaflow.bench.kernels;

import dev.mediaflow.transform.image.PixelArray;
import dev.mediaflow.transform.image.PixelNormalizer;
import java.util.ArrayList;
import java.util.List;
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
 * {@link PixelNormalizer#toUint8} on side × side × 3 float arrays, one per normalization
 * branch (input {@code norm_<dtype>_<branch>_<side>.npy}): unit = [0, 1), signed = [-1, 1),
 * clip = [-7.5, 262.5) (a few values clipped on each side, so the warning pass runs too).
 * Reference: the same array through numpy (tools/bench/kernels.py).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class NormalizeBench {
  @Param({"float32", "float64"})
  public String dtype;

  @Param({"unit", "signed", "clip"})
  public String branch;

  @Param({"256", "512", "1024", "2048"})
  public int side;

  private PixelArray array;

  /** {@code vector} (Vector API) or {@code scalar} kernels (see {@link KernelChoice}). */
  @Param({"vector", "scalar"})
  public String kernels;

  @Setup(Level.Trial)
  public void load() {
    KernelChoice.apply(kernels);
    NpyFile f = NpyFile.read(BenchInputs.dir(), "norm_" + dtype + "_" + branch + "_" + side);
    array = PixelArray.of(PixelArray.Dtype.fromNumpyName(f.dtype()), f.shape(), f.data());
  }

  @Benchmark
  public byte[] toUint8() {
    List<String> warnings = new ArrayList<>(1);
    return PixelNormalizer.toUint8(array, true, warnings);
  }
}
