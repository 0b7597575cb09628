package dev.mediaflow.bench.edge;

import dev.mediaflow.embedded.EmbeddedStack;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Properties;

/**
 * The stack side of the edge load test ({@link EdgeLoad}): starts the embedded stack in this
 * JVM, where its HTTP gateway runs (as in {@code bin/demo}), so the heap measured here is the
 * heap the gateway shares with transform, sink and S3Proxy. Once the stack is up it collects
 * garbage once, resets the pools' peak usage, writes the gateway URL to the ready file and
 * then samples the heap every 100 ms until SIGTERM (the stack's shutdown hook stops it).
 *
 * <p>The stats file (Java properties, rewritten every 500 ms) holds {@code heap.used.max.mb}
 * (highest sampled heap use: a lower bound of the true peak), {@code heap.pools.peak.sum.mb}
 * (sum of each heap pool's own peak since the reset: an upper bound, the pools need not peak
 * together), {@code heap.committed.max.mb}, {@code heap.max.mb}, GC count and time, and
 * {@code stack.failure} if the stack gave up.
 *
 * <p>{@code EdgeStack DATA_DIR READY_FILE STATS_FILE}
 */
public final class EdgeStack {
  private static final long MB = 1024 * 1024;

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final Path statsFile;
  private long usedMax;
  private long committedMax;
  private long baselineUsed;
  private long samples;
  private volatile String failure = "";

  private EdgeStack(Path statsFile) {
    this.statsFile = statsFile;
  }

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    Path readyFile = Path.of(args[1]);
    EdgeStack watch = new EdgeStack(Path.of(args[2]));
    long t0 = System.nanoTime();
    EmbeddedStack stack = EmbeddedStack.start(dataDir, null, line -> System.out.printf(Locale.ROOT,
        "[stack %5.1fs] %s%n", (System.nanoTime() - t0) / 1e9, line));
    stack.onFailure(reason -> watch.failure = reason);
    watch.resetPeaks();
    Properties ready = new Properties();
    ready.setProperty("url", stack.gatewayUrl());
    ready.setProperty("pid", String.valueOf(ProcessHandle.current().pid()));
    writeAtomically(readyFile, ready);
    System.out.println("[stack] ready: gateway " + stack.gatewayUrl());
    watch.sampleUntilStopped();
  }

  /** The load starts from a collected heap, so the peaks are the load's. */
  private void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    baselineUsed = memory.getHeapMemoryUsage().getUsed();
  }

  private void sampleUntilStopped() throws InterruptedException {
    long nextWrite = 0;
    while (true) {
      try {
        sample();
        if (System.nanoTime() - nextWrite >= 0) {
          writeAtomically(statsFile, stats());
          nextWrite = System.nanoTime() + 500_000_000L;
        }
      } catch (IOException | RuntimeException | OutOfMemoryError e) {
        // the watch must outlive whatever the gateway does to the heap; the next sample retries
        System.err.println("[stack] heap sample failed: " + e);
      }
      Thread.sleep(100);
    }
  }

  private void sample() {
    var heap = memory.getHeapMemoryUsage();
    usedMax = Math.max(usedMax, heap.getUsed());
    committedMax = Math.max(committedMax, heap.getCommitted());
    samples++;
  }

  private Properties stats() {
    Properties p = new Properties();
    var heap = memory.getHeapMemoryUsage();
    long poolPeaks = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        poolPeaks += pool.getPeakUsage().getUsed();
        p.setProperty("pool." + pool.getName().replace(' ', '_') + ".peak.mb", mb(pool.getPeakUsage().getUsed()));
      }
    }
    long gcCount = 0;
    long gcMillis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcCount += Math.max(0, gc.getCollectionCount());
      gcMillis += Math.max(0, gc.getCollectionTime());
    }
    p.setProperty("heap.used.max.mb", mb(usedMax));
    p.setProperty("heap.pools.peak.sum.mb", mb(poolPeaks));
    p.setProperty("heap.committed.max.mb", mb(committedMax));
    p.setProperty("heap.max.mb", mb(heap.getMax()));
    p.setProperty("heap.used.now.mb", mb(heap.getUsed()));
    p.setProperty("heap.used.baseline.mb", mb(baselineUsed));
    p.setProperty("gc.count", String.valueOf(gcCount));
    p.setProperty("gc.millis", String.valueOf(gcMillis));
    p.setProperty("samples", String.valueOf(samples));
    p.setProperty("stack.failure", failure);
    return p;
  }

  private static String mb(long bytes) {
    return String.valueOf(bytes / MB);
  }

  private static void writeAtomically(Path file, Properties p) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(out, null);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
