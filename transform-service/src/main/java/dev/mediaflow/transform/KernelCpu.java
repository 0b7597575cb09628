package dev.mediaflow.transform;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * CPU time spent inside the media kernels (normalization, encoders, histogram, point cloud, ...),
 * per kernel, so the pipeline's own cost (serialization, copies, Kafka, S3, SQL) can be told
 * apart from the work the reference does in every training process.
 *
 * <p>Measured with the calling thread's CPU clock ({@link ThreadMXBean#getCurrentThreadCpuTime}),
 * once around each kernel call (about a microsecond per call), never inside a loop. The totals
 * are JVM-wide: kernels are static code, and transform instances started in one JVM (the
 * benchmarks do) add to the same counters. Exported as
 * {@code mediaflow_transform_kernel_cpu_seconds_total{kernel=...}} by {@link TransformService}.
 */
public final class KernelCpu {
  public static final String NORMALIZE = "normalize";
  public static final String PNG = "png";
  public static final String JPEG = "jpeg";
  public static final String BMP = "bmp";
  /** Already-encoded image files: the decode that checks them and reads their size and mode. */
  public static final String IMAGE_FILE = "image_file";
  public static final String HISTOGRAM = "histogram";
  /**
   * Every 3D object: point arrays and point-cloud files (validation, truncation, pts.json and
   * PLY), and mesh files (checked and passed through).
   */
  public static final String POINTCLOUD = "pointcloud";
  public static final String VIDEO = "video";
  public static final String AUDIO = "audio";
  public static final String TABLE = "table";
  public static final String HTML = "html";
  public static final String MOLECULE = "molecule";

  /** Every kernel label, in a stable order (all are exported from the start, at zero). */
  public static final List<String> KERNELS =
      List.of(NORMALIZE, PNG, JPEG, BMP, IMAGE_FILE, HISTOGRAM, POINTCLOUD, VIDEO, AUDIO, TABLE, HTML, MOLECULE);

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final boolean SUPPORTED = THREADS.isCurrentThreadCpuTimeSupported();
  private static final Map<String, LongAdder> NANOS = new LinkedHashMap<>();

  static {
    KERNELS.forEach(k -> NANOS.put(k, new LongAdder()));
  }

  private KernelCpu() {}

  /** Runs {@code work} and adds the CPU time the calling thread spent in it (also when it throws). */
  public static <T> T time(String kernel, Supplier<T> work) {
    LongAdder total = NANOS.get(kernel);
    if (total == null) {
      throw new IllegalArgumentException("unknown kernel " + kernel);
    }
    if (!SUPPORTED) {
      return work.get();
    }
    long start = THREADS.getCurrentThreadCpuTime();
    try {
      return work.get();
    } finally {
      total.add(THREADS.getCurrentThreadCpuTime() - start);
    }
  }

  /** CPU nanoseconds spent in {@code kernel} since the JVM started. */
  public static long nanos(String kernel) {
    return NANOS.get(kernel).sum();
  }

  /** CPU seconds spent in {@code kernel} since the JVM started. */
  public static double seconds(String kernel) {
    return nanos(kernel) / 1e9;
  }

  /** Kernel label -> CPU nanoseconds so far, for every kernel. */
  public static Map<String, Long> snapshot() {
    Map<String, Long> out = new LinkedHashMap<>();
    NANOS.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** False when this JVM cannot read a thread's CPU clock; the counters then stay at zero. */
  public static boolean supported() {
    return SUPPORTED;
  }
}
