package dev.mediaflow.bench.kernels;

import dev.mediaflow.transform.pointcloud.PlyWriter;
import dev.mediaflow.transform.pointcloud.PointCloud;
import dev.mediaflow.transform.pointcloud.PtsJsonWriter;
import dev.mediaflow.transform.pointcloud.TruncatedPointCloud;
import dev.mediaflow.transform.pointcloud.TruncationPolicy;
import dev.mediaflow.transform.pointcloud.TruncationStrategy;
import java.nio.ByteBuffer;
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
 * A 1,000,000 × 6 cloud ({@code pc_<dtype>.npy}: x y z normal, colours whole numbers in
 * [0, 255]): decode + validate + cut to 300,000 points (HEAD and STRIDED), and the 300,000
 * kept points (HEAD) written as binary PLY and as pts.json.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PointCloudBench {
  private static final TruncationPolicy STRIDED =
      new TruncationPolicy(TruncationPolicy.DEFAULT_LIMIT, TruncationStrategy.STRIDED);

  @Param({"float32", "float64"})
  public String dtype;

  private NpyFile input;
  private TruncatedPointCloud kept;

  /** {@code vector} (Vector API) or {@code scalar} kernels (see {@link KernelChoice}). */
  @Param({"vector", "scalar"})
  public String kernels;

  @Setup(Level.Trial)
  public void load() {
    KernelChoice.apply(kernels);
    input = NpyFile.read(BenchInputs.dir(), "pc_" + dtype);
    kept = truncateHead();
  }

  @Benchmark
  public TruncatedPointCloud truncateHead() {
    PointCloud cloud = PointCloud.fromArray(input.dtype(), input.shape(), ByteBuffer.wrap(input.data()));
    return TruncationPolicy.DEFAULT.apply(cloud);
  }

  @Benchmark
  public TruncatedPointCloud truncateStrided() {
    PointCloud cloud = PointCloud.fromArray(input.dtype(), input.shape(), ByteBuffer.wrap(input.data()));
    return STRIDED.apply(cloud);
  }

  @Benchmark
  public byte[] ply() {
    return PlyWriter.write(kept);
  }

  @Benchmark
  public byte[] ptsJson() {
    return PtsJsonWriter.write(kept.cloud());
  }
}
