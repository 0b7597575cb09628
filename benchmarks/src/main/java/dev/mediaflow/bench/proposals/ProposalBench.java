package dev.mediaflow.bench.proposals;

import dev.mediaflow.bench.kernels.BenchInputs;
import dev.mediaflow.bench.kernels.NpyFile;
import dev.mediaflow.transform.image.PixelArray;
import dev.mediaflow.transform.image.PixelNormalizer;
import java.util.ArrayList;
import java.util.Arrays;
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
 * The normalization proposal ({@link ArrayNormalizer}) against the real kernel on the same
 * inputs as {@code NormalizeBench}/{@code PassThroughBench}; the setup fails unless both give
 * the same bytes. Not part of the default kernel run: {@code run-kernels.sh ProposalBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ProposalBench {
  @Param({"float32_unit", "float32_signed", "float32_clip", "float64_unit", "float64_signed",
      "float64_clip", "uint8"})
  public String input;

  @Param({"1024", "2048"})
  public int side;

  private PixelArray array;

  @Setup(Level.Trial)
  public void load() {
    String name = input.equals("uint8") ? "norm_uint8_" + side : "norm_" + input + "_" + side;
    NpyFile f = NpyFile.read(BenchInputs.dir(), name);
    array = PixelArray.of(PixelArray.Dtype.fromNumpyName(f.dtype()), f.shape(), f.data());
    byte[] current = PixelNormalizer.toUint8(array, true, new ArrayList<>());
    byte[] proposed = ArrayNormalizer.toUint8(array, new ArrayList<>());
    if (!Arrays.equals(current, proposed)) {
      throw new IllegalStateException("proposal differs from PixelNormalizer on " + name);
    }
  }

  @Benchmark
  public byte[] current() {
    return PixelNormalizer.toUint8(array, true, new ArrayList<>(1));
  }

  @Benchmark
  public byte[] proposed() {
    return ArrayNormalizer.toUint8(array, new ArrayList<>(1));
  }
}
