package dev.mediaflow.bench.edge;

import dev.mediaflow.bench.edge.EdgeCalls.Size;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;

/** The text of {@link EdgeLoad}'s report, one block per kind of client. */
final class EdgeReport {
  private EdgeReport() {}

  static String good(Tally good, Map<Size, Tally> bySize, int seconds, long pending, AtomicLongArray perSecond) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "good clients: %.1f calls/s answered 200 (%d in %d s, %.1f MB/s);"
        + " latency of answered calls p50 %d ms, p99 %d ms, max %d ms%n", good.count("200") / (double) seconds,
        good.count("200"), seconds, good.bytes200() / 1e6 / seconds, good.quantile(0.50), good.quantile(0.99),
        good.quantile(1.0)));
    b.append("  answers: ").append(good.shares()).append(pending > 0 ? "; still pending at exit: " + pending : "")
        .append(good.withRetryAfter() > 0 ? "; with Retry-After: " + good.withRetryAfter() : "").append('\n');
    for (Size s : Size.values()) {
      Tally t = bySize.get(s);
      b.append(String.format(Locale.ROOT, "  %-6s %.1f calls/s answered 200, p50 %d ms, p99 %d ms; %s%n",
          s.name().toLowerCase(Locale.ROOT), t.count("200") / (double) seconds, t.quantile(0.5), t.quantile(0.99),
          t.shares()));
    }
    b.append("  answered 200 per 5 s: ").append(timeline(perSecond, seconds)).append('\n');
    good.examples().forEach((k, v) -> b.append("  e.g. ").append(k).append(": ").append(v).append('\n'));
    return b.toString();
  }

  private static String timeline(AtomicLongArray perSecond, int seconds) {
    List<String> windows = new ArrayList<>();
    for (int from = 0; from < seconds; from += 5) {
      long n = 0;
      for (int s = from; s < Math.min(seconds, from + 5); s++) {
        n += perSecond.get(s);
      }
      windows.add(String.valueOf(n));
    }
    return String.join(" ", windows);
  }

  static String stalled(List<StalledConnection> stalled) {
    Map<String, List<Double>> byFate = new TreeMap<>();
    for (StalledConnection s : stalled) {
      String key = s.fate().name().toLowerCase(Locale.ROOT).replace('_', ' ')
          + (s.status().isEmpty() || s.fate() == StalledConnection.Fate.CONNECT_FAILED ? "" : " (" + s.status() + ")");
      byFate.computeIfAbsent(key, k -> new ArrayList<>()).add(s.secondsToEnd());
    }
    StringBuilder b = new StringBuilder("stalled connections (headers, Content-Length 1000000, then nothing): ");
    if (stalled.isEmpty()) {
      return b.append("none\n").toString();
    }
    List<String> parts = new ArrayList<>();
    byFate.forEach((fate, times) -> {
      times.sort(null);
      parts.add(times.get(0) < 0 ? times.size() + " " + fate : String.format(Locale.ROOT,
          "%d %s after %.1f-%.1f s", times.size(), fate, times.get(0), times.get(times.size() - 1)));
    });
    return b.append(String.join("; ", parts)).append('\n').toString();
  }

  static String calls(String what, Tally t, long pending) {
    StringBuilder b = new StringBuilder(what).append(": ").append(t.total()).append(" calls; ").append(t.shares())
        .append(pending > 0 ? "; still pending at exit: " + pending : "")
        .append(t.withRetryAfter() > 0 ? "; with Retry-After: " + t.withRetryAfter() : "")
        .append(String.format(Locale.ROOT, "; latency p50 %d ms, p99 %d ms, max %d ms%n", t.quantile(0.5),
            t.quantile(0.99), t.quantile(1.0)));
    t.examples().forEach((k, v) -> b.append("  e.g. ").append(k).append(": ").append(v).append('\n'));
    return b.toString();
  }

  static String heap(Properties p, long pid, String stackLog) {
    boolean alive = pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "stack JVM (pid %d, %s): heap high-water mark"
        + " %s MB sampled every 100 ms (pool peaks summed: %s MB; baseline after GC %s MB; committed max %s MB;"
        + " -Xmx %s MB); GC %s collections, %s ms", pid, alive ? "alive at the end" : "NOT alive at the end",
        p.getProperty("heap.used.max.mb", "?"), p.getProperty("heap.pools.peak.sum.mb", "?"),
        p.getProperty("heap.used.baseline.mb", "?"), p.getProperty("heap.committed.max.mb", "?"),
        p.getProperty("heap.max.mb", "?"), p.getProperty("gc.count", "?"), p.getProperty("gc.millis", "?")));
    if (!p.getProperty("stack.failure", "").isEmpty()) {
      b.append("; stack gave up: ").append(p.getProperty("stack.failure"));
    }
    if (stackLog != null) {
      b.append("; OutOfMemoryError lines in its log: ").append(countOom(Path.of(stackLog)));
    }
    return b.append('\n').toString();
  }

  private static String countOom(Path log) {
    try (Stream<String> lines = Files.lines(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
      return String.valueOf(lines.filter(l -> l.contains("OutOfMemoryError")).count());
    } catch (IOException | java.io.UncheckedIOException e) {
      return "? (" + e.getMessage() + ")";
    }
  }
}
