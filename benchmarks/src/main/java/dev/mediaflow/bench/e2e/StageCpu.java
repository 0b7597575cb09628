package dev.mediaflow.bench.e2e;

import dev.mediaflow.transform.KernelCpu;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU seconds per pipeline stage over a phase, and the part of it spent inside the media kernels.
 *
 * <p>The stages share one JVM here (the gateway, transform and sink instances and S3Proxy run in
 * process, as in the rest of {@link E2eBench}, so its 2 + 2 phases and the latency hooks work
 * on the same objects), so their CPU is read per thread ({@link ThreadMXBean#getThreadCpuTime})
 * and grouped by thread name, which each stage sets: Jetty's {@code ingest-http-*} and the
 * gateway's producer I/O thread ({@code producer-N}; the sink's dead-letter producer has the
 * same form but is idle without dead letters) for the gateway; Kafka Streams'
 * {@code *-StreamThread-*} (with their producer I/O threads) for the transform; {@code sink-*}
 * and the sink consumer's heartbeat thread for the sink; S3Proxy's Jetty ({@code qtp*}) for the
 * S3 endpoint. The broker and the schema registry are child processes: their utime + stime
 * from {@code /proc/<pid>/stat}. What the JVM used beyond its Java threads (GC, JIT and VM
 * threads, which serve every stage, and threads that ended in the window) is the process's CPU
 * minus its Java threads', shown as its own row, counted in the whole, never as kernel time. Kernel time comes from
 * {@link KernelCpu} (the transform's own meter, read in process); all of it is transform CPU.
 */
final class StageCpu {
  static final String GATEWAY = "gateway (ingest)";
  static final String TRANSFORM = "transform";
  static final String SINK = "sink";
  static final String BROKER = "broker (Kafka)";
  static final String S3 = "S3 endpoint (S3Proxy)";
  static final String REGISTRY = "schema registry";
  static final String JVM_SHARED = "JVM shared (GC, JIT, VM)";
  static final String LOAD = "load generator";
  /** The pipeline's stages in table order; the load generator and unattributed threads are outside. */
  static final List<String> PIPELINE = List.of(GATEWAY, TRANSFORM, SINK, BROKER, S3, REGISTRY, JVM_SHARED);
  static final List<String> SERVICES = List.of(GATEWAY, TRANSFORM, SINK);
  private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long startProcess;
  private final Map<Long, Long> startThreads = new HashMap<>();
  private Map<String, Long> startChildren;
  private Map<String, Long> startKernels;
  private long startNanos;

  void start() {
    startNanos = System.nanoTime();
    startProcess = os.getProcessCpuTime();
    for (long id : threads.getAllThreadIds()) {
      startThreads.put(id, Math.max(0, threads.getThreadCpuTime(id)));
    }
    startChildren = childTicks();
    startKernels = KernelCpu.snapshot();
  }

  /** CPU over the window, per stage, with the kernel seconds by kernel; {@code items} = items stored in it. */
  Window stop(long items) {
    Map<String, Double> stages = new LinkedHashMap<>();
    PIPELINE.forEach(s -> stages.put(s, 0.0));
    Map<String, Double> unattributed = new TreeMap<>();
    double javaThreads = 0;
    for (long id : threads.getAllThreadIds()) {
      ThreadInfo info = threads.getThreadInfo(id);
      long now = threads.getThreadCpuTime(id);
      if (info == null || now < 0) {
        continue;
      }
      double seconds = (now - startThreads.getOrDefault(id, 0L)) / 1e9;
      javaThreads += seconds;
      String stage = stage(info.getThreadName());
      if (stage == null) {
        unattributed.merge(info.getThreadName().replaceAll("[0-9]+", "N"), seconds, Double::sum);
      } else {
        stages.merge(stage, seconds, Double::sum);
      }
    }
    stages.merge(JVM_SHARED, Math.max(0, (os.getProcessCpuTime() - startProcess) / 1e9 - javaThreads), Double::sum);
    childTicks().forEach((name, ticks) -> stages.merge(name,
        (ticks - startChildren.getOrDefault(name, 0L)) / (double) TICKS_PER_SECOND, Double::sum));
    Map<String, Double> kernels = new LinkedHashMap<>();
    KernelCpu.snapshot().forEach((k, v) -> {
      double s = (v - startKernels.getOrDefault(k, 0L)) / 1e9;
      if (s > 0) {
        kernels.put(k, s);
      }
    });
    return new Window((System.nanoTime() - startNanos) / 1e9, items, stages, kernels, unattributed);
  }

  /** The stage a thread of this JVM works for, by its name; null when it is none of them. */
  static String stage(String thread) {
    if (thread.contains("StreamThread")) {
      return TRANSFORM; // stream threads and their producer I/O threads (client id ...-StreamThread-N-producer)
    }
    if (thread.startsWith("sink-") || thread.startsWith("kafka-coordinator-heartbeat-thread | mediaflow-sink")) {
      return SINK;
    }
    if (thread.startsWith("kafka-coordinator-heartbeat-thread | mediaflow-transform")) {
      return TRANSFORM;
    }
    if (thread.startsWith("ingest-http") || thread.matches("kafka-producer-network-thread \\| producer-\\d+")) {
      return GATEWAY;
    }
    if (thread.startsWith("qtp") || thread.startsWith("S3Proxy")) {
      return S3;
    }
    // HotSpot lists neither its compiler nor its GC threads among the Java threads, so their CPU
    // reaches JVM_SHARED as process CPU minus Java threads; this keeps it there on a JVM that does
    if (thread.startsWith("C1 ") || thread.startsWith("C2 ") || thread.contains("GC") || thread.startsWith("G1")
        || thread.startsWith("VM ") || thread.equals("Sweeper thread")) {
      return JVM_SHARED;
    }
    if (thread.contains("-client-") || thread.startsWith("HttpClient") || thread.equals("main")
        || thread.startsWith("cpu-profile")) {
      return LOAD; // senders, their HTTP client, the bench's own SQL polling and sampling
    }
    return null;
  }

  /** utime+stime ticks of the broker and registry child processes, by stage. */
  private static Map<String, Long> childTicks() {
    Map<String, Long> out = new HashMap<>();
    ProcessHandle.current().children().forEach(p -> {
      String command = p.info().commandLine().orElse("");
      String stage = command.contains("kafka.Kafka") ? BROKER : command.contains("apicurio") ? REGISTRY : null;
      if (stage != null) {
        out.merge(stage, CpuProfile.ticks(p), Long::sum);
      }
    });
    return out;
  }


  /**
   * One measured window: CPU seconds per stage (the load generator's too, shown apart), kernel
   * seconds per kernel, the items stored in it, and what no stage claimed.
   */
  record Window(double seconds, long items, Map<String, Double> stages, Map<String, Double> kernels,
      Map<String, Double> unattributed) {

    double kernelSeconds() {
      return kernels.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    double cpu(List<String> which) {
      return which.stream().mapToDouble(s -> stages.getOrDefault(s, 0.0)).sum();
    }

    /** Non-kernel CPU over all CPU of {@code which} (kernels run in the transform, which must be in it). */
    double nonKernelShare(List<String> which) {
      double all = cpu(which);
      return all <= 0 ? Double.NaN : (all - kernelSeconds()) / all;
    }

    /** A markdown table: per stage CPU-s/item, kernel, non-kernel, share of the pipeline; then the goal lines. */
    String table() {
      double whole = cpu(PIPELINE);
      double perItem = Math.max(1, items);
      StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
          "%d items stored in %.1f s; CPU-ms per item (1 CPU-ms/item = 1 core busy at 1000 items/s)%n%n", items, seconds));
      b.append("| stage | CPU-ms/item | kernel CPU-ms/item | non-kernel CPU-ms/item | share of pipeline CPU | cores busy |\n");
      b.append("|---|---|---|---|---|---|\n");
      for (String s : PIPELINE) {
        double cpu = stages.getOrDefault(s, 0.0);
        double kernel = s.equals(TRANSFORM) ? kernelSeconds() : 0;
        b.append(row(s, cpu / perItem, kernel / perItem, 100 * cpu / whole, cpu / seconds));
      }
      b.append(row("**whole pipeline**", whole / perItem, kernelSeconds() / perItem, 100, whole / seconds));
      double services = cpu(SERVICES);
      b.append(row("stages only (gateway + transform + sink)", services / perItem, kernelSeconds() / perItem,
          100 * services / whole, services / seconds));
      double load = stages.getOrDefault(LOAD, 0.0);
      b.append(String.format(Locale.ROOT, "| (outside: load generator) | %.2f | | | | %.2f |%n", 1e3 * load / perItem,
          load / seconds));
      b.append('\n');
      if (!kernels.isEmpty()) {
        b.append("kernels (CPU-ms/item over all items):");
        kernels.forEach((k, v) -> b.append(String.format(Locale.ROOT, " %s %.2f;", k, 1e3 * v / perItem)));
        b.append('\n');
      }
      List<String> other = new ArrayList<>();
      unattributed.forEach((k, v) -> {
        if (v >= 0.05) {
          other.add(String.format(Locale.ROOT, "%s %.2f s", k, v));
        }
      });
      if (!other.isEmpty()) {
        b.append("threads of no stage (not counted): ").append(String.join(", ", other)).append('\n');
      }
      b.append(goal("whole pipeline, incl. broker, S3 endpoint, registry and GC/JIT", nonKernelShare(PIPELINE)));
      b.append(goal("stages only (gateway + transform + sink)", nonKernelShare(SERVICES)));
      return b.toString();
    }

    private static String row(String stage, double cpu, double kernel, double share, double cores) {
      return String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.0f %% | %.2f |%n", stage, 1e3 * cpu,
          1e3 * kernel, 1e3 * (cpu - kernel), share, cores);
    }

    private static String goal(String over, double share) {
      return String.format(Locale.ROOT, "non-kernel share ≤ 30 %% (%s): %.0f %% → %s%n", over, 100 * share,
          share <= 0.30 ? "yes" : "**no**");
    }
  }
}
