package dev.mediaflow.bench.kernels;

import dev.mediaflow.transform.histogram.Histogram;
import dev.mediaflow.transform.histogram.NonFinitePolicy;
import dev.mediaflow.transform.histogram.NumpyHistogram;
import dev.mediaflow.transform.image.PixelArray;
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
 * {@link NumpyHistogram#compute} on normally distributed values
 * ({@code hist_<dtype>_<count>.npy}); reference {@code np.histogram(values, bins=n)}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class HistogramBench {
  @Param({"float32", "float64"})
  public String dtype;

  @Param({"10000", "1000000", "10000000"})
  public int count;

  @Param({"64", "512"})
  public int bins;

  private PixelArray values;

  /** {@code vector} (Vector API) or {@code scalar} kernels (see {@link KernelChoice}). */
  @Param({"vector", "scalar"})
  public String kernels;

  @Setup(Level.Trial)
  public void load() {
    KernelChoice.apply(kernels);
    NpyFile f = NpyFile.read(BenchInputs.dir(), "hist_" + dtype + "_" + count);
    values = PixelArray.of(PixelArray.Dtype.fromNumpyName(f.dtype()), f.shape(), f.data());
  }

  @Benchmark
  public Histogram histogram() {
    return NumpyHistogram.compute(values, bins, NonFinitePolicy.REJECT);
  }
}
