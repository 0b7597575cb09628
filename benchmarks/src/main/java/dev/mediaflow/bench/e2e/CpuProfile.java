package dev.mediaflow.bench.e2e;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where the CPU went during a phase, to say what bounds the pipeline: CPU seconds per thread
 * group of this JVM (transform stream threads, sink loop, gateway, Kafka clients, S3Proxy),
 * of the broker and registry child processes and of the whole machine (other work on the
 * machine shows up there), plus a sampled profile of the transform and sink threads (top
 * frames of RUNNABLE stacks every 50 ms; safepoint-biased, so read it as "which code", not
 * "which line").
 */
final class CpuProfile {
  private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

  /** Thread groups whose RUNNABLE stacks are sampled: the services' own threads. */
  private static final java.util.Set<String> SAMPLED =
      java.util.Set.of("transform stream threads", "sink loop", "sink writers", "ingest gateway (HTTP)");

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<Long, Long> startCpu = new HashMap<>();
  private final Map<Long, String> names = new HashMap<>();
  private final Map<String, Long> startChildTicks = new HashMap<>();
  private final Map<String, Map<String, Integer>> samples = new HashMap<>();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long startProcessCpu;
  private long startMachineBusy;
  private long startMachineTotal;
  private long startNanos;
  private volatile boolean sampling;
  private Thread sampler;

  void start() {
    startNanos = System.nanoTime();
    for (long id : threads.getAllThreadIds()) {
      startCpu.put(id, Math.max(0, threads.getThreadCpuTime(id)));
    }
    childTicks().forEach(startChildTicks::put);
    startProcessCpu = os.getProcessCpuTime();
    long[] m = machine();
    startMachineBusy = m[0];
    startMachineTotal = m[1];
    sampling = true;
    sampler = new Thread(this::sample, "cpu-profile-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** Stops and describes the phase. */
  String stop() throws InterruptedException {
    sampling = false;
    sampler.join();
    double wall = (System.nanoTime() - startNanos) / 1e9;
    Map<String, Double> groups = new HashMap<>();
    for (long id : threads.getAllThreadIds()) {
      ThreadInfo info = threads.getThreadInfo(id);
      if (info == null) {
        continue;
      }
      long cpu = threads.getThreadCpuTime(id) - startCpu.getOrDefault(id, 0L);
      groups.merge(group(info.getThreadName()), cpu / 1e9, Double::sum);
    }
    childTicks().forEach((name, ticks) -> groups.put("process: " + name,
        (ticks - startChildTicks.getOrDefault(name, 0L)) / (double) TICKS_PER_SECOND));
    double jvm = (os.getProcessCpuTime() - startProcessCpu) / 1e9 / wall;
    double children = 0;
    for (var e : groups.entrySet()) {
      children += e.getKey().startsWith("process: ") ? e.getValue() / wall : 0;
    }
    long[] m = machine();
    double machineCores = (m[0] - startMachineBusy) / (double) Math.max(1, m[1] - startMachineTotal)
        * Runtime.getRuntime().availableProcessors();
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
        "CPU over %.0f s (cores busy, 1.00 = one core all the time); whole machine %.2f of %d%n", wall,
        machineCores, Runtime.getRuntime().availableProcessors()));
    b.append(String.format(Locale.ROOT, "    %-34s %5.2f%n    %-34s %5.2f%n", "this JVM (all threads)", jvm,
        "other processes on the machine", Math.max(0, machineCores - jvm - children)));
    groups.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .filter(e -> e.getValue() / wall >= 0.02)
        .forEach(e -> b.append(String.format(Locale.ROOT, "    %-34s %5.2f%n", e.getKey(), e.getValue() / wall)));
    for (var e : samples.entrySet()) {
      int total = e.getValue().values().stream().mapToInt(Integer::intValue).sum();
      b.append("  sampled RUNNABLE stacks of ").append(e.getKey()).append(" (").append(total).append(" samples):\n");
      e.getValue().entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(10)
          .forEach(s -> b.append(String.format(Locale.ROOT, "    %4.1f%%  %s%n", 100.0 * s.getValue() / total, s.getKey())));
    }
    return b.toString();
  }

  private void sample() {
    while (sampling) {
      for (ThreadInfo info : threads.dumpAllThreads(false, false, 160)) {
        String g = group(info.getThreadName());
        if (SAMPLED.contains(g) && info.getThreadState() == Thread.State.RUNNABLE) {
          samples.computeIfAbsent(g, k -> new HashMap<>()).merge(frames(info.getStackTrace()), 1, Integer::sum);
        }
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The top frame, and the innermost mediaflow frame under it, which names the step. */
  private static String frames(StackTraceElement[] stack) {
    if (stack.length == 0) {
      return "(no stack)";
    }
    String top = stack[0].getClassName().replaceAll(".*\\.", "") + "." + stack[0].getMethodName();
    for (StackTraceElement f : stack) {
      if (f.getClassName().startsWith("dev.mediaflow") && f != stack[0]) {
        return top + "  <  " + f.getClassName().replaceAll(".*\\.", "") + "." + f.getMethodName();
      }
    }
    return top;
  }

  static String group(String thread) {
    if (thread.contains("StreamThread")) {
      return "transform stream threads";
    }
    if (thread.startsWith("sink-loop")) {
      return "sink loop";
    }
    if (thread.startsWith("sink-writer")) {
      return "sink writers";
    }
    if (thread.startsWith("ingest-http")) {
      return "ingest gateway (HTTP)";
    }
    if (thread.startsWith("kafka-producer-network-thread")) {
      return "Kafka producer I/O threads";
    }
    if (thread.startsWith("qtp") || thread.contains("jetty") || thread.startsWith("S3Proxy")) {
      return "S3Proxy (Jetty)";
    }
    if (thread.startsWith("pool-") || thread.startsWith("HTTP-Dispatcher")) {
      return "ingest gateway (HTTP)";
    }
    if (thread.contains("-client-")) {
      return "load generator clients";
    }
    if (thread.startsWith("HttpClient")) {
      return "load generator HTTP client";
    }
    if (thread.startsWith("C1 ") || thread.startsWith("C2 ") || thread.contains("GC") || thread.startsWith("G1")) {
      return "JVM (JIT, GC)";
    }
    return "other: " + thread.replaceAll("[0-9]+", "N");
  }

  /** utime+stime ticks of the broker and registry child processes. */
  private static Map<String, Long> childTicks() {
    return ProcessHandle.current().children().collect(Collectors.toMap(
        p -> p.info().commandLine().map(c -> c.contains("kafka.Kafka") ? "Kafka broker"
            : c.contains("apicurio") ? "Apicurio registry" : "child " + p.pid()).orElse("child " + p.pid()),
        CpuProfile::ticks, Long::sum));
  }

  /** utime+stime of a process from {@code /proc/<pid>/stat}, in clock ticks; 0 once it is gone. */
  static long ticks(ProcessHandle p) {
    try {
      String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** {busy, total} jiffies of the whole machine from /proc/stat. */
  private static long[] machine() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
      String[] f = lines.get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 1};
    }
  }
}
