package dev.mediaflow.bench.e2e;

import dev.mediaflow.embedded.EmbeddedStack;
import dev.mediaflow.embedded.StackInspector;
import dev.mediaflow.schemas.deadletter.DeadLetters;
import dev.mediaflow.sink.SinkConfig;
import dev.mediaflow.sink.SinkService;
import dev.mediaflow.transform.TransformConfig;
import dev.mediaflow.transform.TransformService;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * End-to-end load test on the embedded stack, through the real ingest path (HTTP gateway →
 * raw topic → transform → processed topic → sink → S3 + SQL):
 * <ol>
 *   <li>probe whether the gateway and the transform take histograms and point clouds, and
 *       build the mix ({@link LoadMix}) accordingly;</li>
 *   <li>raw Kafka produce+consume of the same bytes on the same broker
 *       ({@link RawKafkaBaseline});</li>
 *   <li>peak: {@code clients} senders as fast as the pipeline drains (at most
 *       {@code backlog} MB sent but not yet stored), items/s and MB/s over the steady window;
 *       then half of that rate, open loop, for the latency (HTTP answer → row stored);</li>
 *   <li>the same two phases with a second transform and a second sink instance in process
 *       (same application id and group id: they share the 4 partitions).</li>
 * </ol>
 * Latency: the HTTP answer's arrival (wall clock, per item) to {@code media_item.stored_at},
 * which the sink sets with its wall clock on the same machine just before the row is written.
 *
 * Per peak phase, CPU per stage split into kernel time and the rest ({@link StageCpu}).
 *
 * <p>{@code E2eBench DATA_DIR [key=value...]}, keys: {@code mix} ({@code media}, the arrays the
 * kernels work on; {@code passthrough}, already-encoded files ({@link LoadMix#passThrough()});
 * or {@code both}), {@code runs} (1; each run starts a fresh stack under DATA_DIR/run-N),
 * {@code peakSeconds} (30), {@code halfSeconds} (20; 0 skips the half phases),
 * {@code passthroughHalf} (false: the pass-through mix runs its peak phases only), {@code clients}
 * (4), {@code backlogMb} (32), {@code baselineMb} (1500), {@code warmupSeconds} (8), {@code out}
 * (a JSON file for the summary), {@code latencyDir} (per-item latencies of each phase as CSV,
 * {@link LatencyDump}), {@code lockstep} (false: each client starts at its own place in the
 * point-cloud cycle; true: all at step 0).
 */
public final class E2eBench {
  private static final String PROJECT = "bench";

  private final EmbeddedStack stack;
  private final Map<String, String> options;
  private final Consumer<String> progress;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final long startNanos = System.nanoTime();

  private E2eBench(EmbeddedStack stack, Map<String, String> options, Consumer<String> progress) {
    this.stack = stack;
    this.options = options;
    this.progress = progress;
  }

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      options.put(kv[0], kv[1]);
    }
    long t0 = System.nanoTime();
    Consumer<String> progress = line -> System.out.printf(Locale.ROOT, "[%5.1fs] %s%n",
        (System.nanoTime() - t0) / 1e9, line);
    int runs = Integer.parseInt(options.getOrDefault("runs", "1"));
    List<Summary> summaries = new ArrayList<>();
    for (int r = 1; r <= runs; r++) {
      progress.accept("== run " + r + " of " + runs + " (fresh stack), load average " + loadAverage());
      Path runDir = runs == 1 ? dataDir : dataDir.resolve("run-" + r);
      try (EmbeddedStack stack = EmbeddedStack.start(runDir, null, progress)) {
        Summary summary = new E2eBench(stack, options, progress).run();
        summary.run = r;
        summaries.add(summary);
        System.out.println();
        System.out.println(summary.text());
      }
    }
    if (runs > 1) {
      System.out.println(Summary.combined(summaries));
    }
    if (options.containsKey("out")) {
      StringBuilder json = new StringBuilder("{\"runs\": [\n");
      for (int i = 0; i < summaries.size(); i++) {
        json.append(summaries.get(i).json()).append(i + 1 < summaries.size() ? ",\n" : "\n");
      }
      Files.writeString(Path.of(options.get("out")), json.append("]}\n"));
    }
    System.exit(0);
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private Summary run() throws Exception {
    Summary summary = new Summary();
    summary.loadBefore = loadAverage();
    String which = options.getOrDefault("mix", "media");
    List<LoadMix> mixes = new ArrayList<>();
    if (which.equals("media") || which.equals("both")) {
      boolean histograms = probe("histogram", LoadMix.histogramSpec("x"), "float32", new long[] {1000});
      boolean clouds = probe("object3D", LoadMix.pointCloudSpec("x"), "float32", new long[] {1000, 6});
      summary.mix = "images" + (histograms ? " + histograms" : "") + (clouds ? " + point clouds" : "");
      summary.notes.add("histograms end to end: " + (histograms ? "yes" : "no (" + probeReason.get("histogram") + ")"));
      summary.notes.add("point clouds end to end: " + (clouds ? "yes" : "no (" + probeReason.get("object3D") + ")"));
      mixes.add(new LoadMix(histograms, clouds));
      progress.accept("media mix: " + summary.mix);
    }
    if (which.equals("passthrough") || which.equals("both")) {
      mixes.add(LoadMix.passThrough());
    }
    if (mixes.isEmpty()) {
      throw new IllegalArgumentException("mix=" + which + ": media, passthrough or both");
    }

    for (LoadMix mix : mixes) {
      progress.accept("raw Kafka baseline on the same broker, " + mix.name() + " payloads ...");
      RawKafkaBaseline.Result baseline = RawKafkaBaseline.run(stack.bootstrapServers(), mix, mb("baselineMb", 1500),
          Duration.ofSeconds(40), progress);
      summary.baselines.put(mix.name(), baseline);
      progress.accept(String.format(Locale.ROOT, "raw Kafka baseline (%s): %.0f MB in %.1f s: %.1f MB/s"
          + " produce+consume (produce alone %.1f MB/s)", mix.name(), baseline.bytes() / 1e6, baseline.seconds(),
          baseline.mbPerSecond(), baseline.produceMbPerSecond()));
      phases(summary, "1x", mix);
    }

    progress.accept("starting a second transform and a second sink instance in process ...");
    Map<String, String> transform2 = new HashMap<>(stack.transformSettings());
    // same application id, own state directory (two instances must not share its lock and process id)
    transform2.put(TransformConfig.STATE_DIR, stack.dataDir().resolve("transform-2").toString());
    TransformService extraTransform = new TransformService(new TransformConfig(transform2)).start();
    SinkService extraSink = new SinkService(new SinkConfig(stack.sinkSettings())).start();
    try {
      waitRunning(extraTransform);
      for (LoadMix mix : mixes) {
        phases(summary, "2x", mix);
      }
    } finally {
      extraSink.close();
      extraTransform.close();
    }
    summary.loadAfter = loadAverage();
    return summary;
  }

  /** Peak, then half of it (unless switched off) with the instances running now. */
  private void phases(Summary summary, String instances, LoadMix mix) throws Exception {
    PhaseResult peak = peak(instances, mix);
    summary.phases.add(peak);
    boolean half = integer("halfSeconds", 20) > 0
        && (mix.name().equals("media") || Boolean.parseBoolean(options.getOrDefault("passthroughHalf", "false")));
    if (half) {
      summary.phases.add(steady(instances, mix, peak.itemsPerSecond / 2));
    }
  }

  // ------------------------------------------------------------------------------------
  // probing
  // ------------------------------------------------------------------------------------

  private final Map<String, String> probeReason = new HashMap<>();

  /** Sends one item of a type and waits up to 30 s for its row; false (with the reason) if it never comes. */
  private boolean probe(String type, String spec, String dtype, long[] shape) throws Exception {
    int count = 1;
    for (long d : shape) {
      count *= (int) d;
    }
    byte[] data = new byte[count * 4];
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      b.putFloat(i % 6 >= 3 ? i % 200 : (i % 97) / 7f);
    }
    String run = "probe-" + type;
    var request = new dev.mediaflow.ingest.client.LogCallRequest(
        "{\"step\": 0, \"data\": {\"probe\": " + spec + "}}")
        .part("x", "x.npy", "application/octet-stream", dev.mediaflow.ingest.npy.NpyWriter.write(dtype, shape, data));
    HttpResponse<String> response = http.send(request.build(stack.gatewayUrl(), PROJECT, run),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200 || !response.body().contains("\"accepted\":1")) {
      probeReason.put(type, "gateway answered " + response.statusCode() + " " + response.body());
      progress.accept("probe " + type + ": not accepted by the gateway: " + response.body());
      return false;
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      if (countRows(run) > 0) {
        progress.accept("probe " + type + ": stored end to end");
        return true;
      }
      Thread.sleep(250);
    }
    String reason;
    try (StackInspector inspector = new StackInspector(stack)) {
      reason = inspector.deadLetters().stream().filter(h -> run.equals(h.get(DeadLetters.RUN)))
          .map(h -> h.get(DeadLetters.STAGE) + " stage: " + h.get(DeadLetters.REASON))
          .findFirst().orElse("no dead letter either");
    }
    probeReason.put(type, "accepted by the gateway, no row after 15 s; dead letter: " + reason);
    progress.accept("probe " + type + ": " + probeReason.get(type));
    return false;
  }

  // ------------------------------------------------------------------------------------
  // phases
  // ------------------------------------------------------------------------------------

  /** Closed loop with a bounded backlog: as fast as the pipeline stores. */
  private PhaseResult peak(String instances, LoadMix mix) throws Exception {
    int seconds = integer("peakSeconds", 30);
    long backlog = mb("backlogMb", 32);
    Phase phase = new Phase(mix.name() + "-peak-" + instances, instances, mix, integer("clients", 4));
    progress.accept("phase " + phase.name + ": " + phase.clients + " clients, closed loop, at most "
        + backlog / 1_000_000 + " MB sent but not stored, " + seconds + " s");
    phase.profile = new CpuProfile();
    phase.stageCpu = new StageCpu();
    phase.runFor(seconds, 0, backlog);
    PhaseResult result = phase.finish(integer("warmupSeconds", 8));
    result.profile = phase.profileText;
    result.cpu = phase.cpuWindow;
    System.out.print(phase.profileText);
    if (phase.cpuWindow != null) {
      System.out.print(phase.cpuWindow.table());
    }
    return result;
  }

  /** Open loop at a fixed item rate. */
  private PhaseResult steady(String instances, LoadMix mix, double itemsPerSecond) throws Exception {
    int seconds = integer("halfSeconds", 20);
    Phase phase = new Phase(mix.name() + "-half-" + instances, instances, mix, integer("clients", 4));
    double callsPerSecond = itemsPerSecond / mix.itemsPerCallAverage();
    progress.accept(String.format(Locale.ROOT, "phase %s: open loop at %.1f items/s (%.2f calls/s), %d s",
        phase.name, itemsPerSecond, callsPerSecond, seconds));
    phase.runFor(seconds, callsPerSecond, Long.MAX_VALUE);
    return phase.finish(2);
  }

  private void waitRunning(TransformService transform) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (transform.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    Thread.sleep(5000); // the sink group rebalances too
    progress.accept("second transform " + transform.state() + ", second sink started");
  }

  /** One load phase: its own runs (one per client), its own accounting. */
  private final class Phase {
    final String name;
    final String instances;
    final LoadMix mix;
    final int clients;
    final Map<String, long[]> items = new ConcurrentHashMap<>(); // identity -> {ackMillis, bytes}
    final AtomicLong sentBytes = new AtomicLong();
    final AtomicLong ackedItems = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    volatile long storedRows;
    CpuProfile profile;
    String profileText = "";
    StageCpu stageCpu;
    long stageCpuStartMillis;
    StageCpu.Window cpuWindow;
    long firstSendMillis;
    long lastSendMillis;

    Phase(String name, String instances, LoadMix mix, int clients) {
      this.name = name;
      this.instances = instances;
      this.mix = mix;
      this.clients = clients;
    }

    String run(int client) {
      return name + "-c" + client;
    }

    void runFor(int seconds, double callsPerSecond, long backlogBytes) throws Exception {
      firstSendMillis = System.currentTimeMillis();
      if (profile != null) {
        profile.start();
      }
      // CPU per stage is read over the steady window, after the warm-up (JIT, first fetches)
      long stageCpuFrom = firstSendMillis + integer("warmupSeconds", 8) * 1000L;
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        Thread t = new Thread(() -> sendLoop(client, end, callsPerSecond / clients, backlogBytes), name + "-client-" + c);
        t.start();
        threads.add(t);
      }
      long nextReport = System.nanoTime() + 5_000_000_000L;
      while (threads.stream().anyMatch(Thread::isAlive)) {
        if (stageCpu != null && stageCpuStartMillis == 0 && System.currentTimeMillis() >= stageCpuFrom) {
          stageCpuStartMillis = System.currentTimeMillis();
          stageCpu.start();
        }
        storedRows = countPhaseRows(name);
        if (System.nanoTime() > nextReport) {
          nextReport += 5_000_000_000L;
          report("sending");
        }
        Thread.sleep(200);
      }
      lastSendMillis = System.currentTimeMillis();
      if (profile != null) {
        profileText = profile.stop();
      }
      if (stageCpu != null && stageCpuStartMillis > 0) {
        // the items the stages handled in the window: those whose row was written in it
        cpuWindow = stageCpu.stop(countStoredBetween(name, stageCpuStartMillis, lastSendMillis));
      }
      drain();
    }

    private void sendLoop(int client, long endNanos, double callsPerSecond, long backlogBytes) {
      // Each client is an independent training run: start it at its own place in the point-cloud
      // cycle (big, small) so the clients' clouds are spread over the phase, not all sent in the
      // same second. lockstep=true starts every client at step 0 (all big clouds at once: the
      // 12 MB bursts behind the half-2x tail of issue 13).
      long step = Boolean.parseBoolean(options.getOrDefault("lockstep", "false")) ? 0
          : (long) client * 2 * LoadMix.CLOUD_EVERY / clients;
      long intervalNanos = callsPerSecond > 0 ? (long) (1e9 / callsPerSecond) : 0;
      long next = System.nanoTime() + (long) (intervalNanos * (client / (double) clients)); // stagger clients
      while (System.nanoTime() < endNanos) {
        if (intervalNanos > 0) {
          long wait = Math.min(next, endNanos) - System.nanoTime(); // a slow rate must not outlast the phase
          if (wait > 0) {
            sleepNanos(wait);
          }
          next += intervalNanos;
        } else {
          while (unstoredBytes() > backlogBytes && System.nanoTime() < endNanos) {
            sleepNanos(20_000_000);
          }
        }
        if (System.nanoTime() >= endNanos) {
          break;
        }
        send(client, step++);
      }
    }

    private long unstoredBytes() {
      long acked = ackedItems.get();
      double perItem = acked == 0 ? 0 : sentBytes.get() / (double) acked;
      return (long) ((acked - storedRows) * perItem);
    }

    private void send(int client, long step) {
      LoadMix.Call call = mix.call(step);
      try {
        HttpResponse<String> response = http.send(call.request().build(stack.gatewayUrl(), PROJECT, run(client)),
            HttpResponse.BodyHandlers.ofString());
        long ack = System.currentTimeMillis();
        if (response.statusCode() != 200) {
          failures.incrementAndGet();
          progress.accept("HTTP " + response.statusCode() + ": " + response.body());
          return;
        }
        if (!response.body().contains("\"rejected\":[]")) {
          rejected.incrementAndGet();
        }
        for (int i = 0; i < call.itemKeys().size(); i++) {
          String key = call.itemKeys().get(i);
          items.put(run(client) + "/" + key.replace("/", "/" + step + "/"), new long[] {ack, call.payloads().get(i).length});
        }
        sentBytes.addAndGet(call.bodyBytes());
        ackedItems.addAndGet(call.itemKeys().size());
      } catch (IOException e) {
        failures.incrementAndGet();
        progress.accept("request failed: " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void drain() throws Exception {
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      long nextReport = System.nanoTime() + 5_000_000_000L;
      while (System.nanoTime() < deadline) {
        storedRows = countPhaseRows(name);
        if (storedRows >= ackedItems.get()) {
          return;
        }
        if (System.nanoTime() > nextReport) {
          nextReport += 5_000_000_000L;
          report("draining");
        }
        Thread.sleep(200);
      }
      progress.accept("phase " + name + ": drain timed out with " + (ackedItems.get() - storedRows) + " items missing");
    }

    private void report(String what) {
      double s = (System.currentTimeMillis() - firstSendMillis) / 1e3;
      progress.accept(String.format(Locale.ROOT, "  %s %s: %.0f s, %d items acked (%.0f MB), %d stored",
          name, what, s, ackedItems.get(), sentBytes.get() / 1e6, storedRows));
    }

    PhaseResult finish(int warmupSeconds) throws SQLException {
      Map<String, Long> stored = storedAt(name);
      if (options.containsKey("latencyDir")) {
        LatencyDump.write(Path.of(options.get("latencyDir")), name, items, stored);
      }
      PhaseResult r = new PhaseResult();
      r.name = name;
      r.instances = instances;
      r.acked = ackedItems.get();
      r.stored = stored.size();
      r.failures = failures.get();
      r.callsWithRejections = rejected.get();
      long windowStart = firstSendMillis + warmupSeconds * 1000L;
      long windowEnd = lastSendMillis;
      long inWindow = 0;
      long bytesInWindow = 0;
      List<Long> latencies = new ArrayList<>();
      for (var e : items.entrySet()) {
        Long at = stored.get(e.getKey());
        if (at == null) {
          continue;
        }
        latencies.add(at - e.getValue()[0]);
        if (at >= windowStart && at < windowEnd) {
          inWindow++;
          bytesInWindow += e.getValue()[1];
        }
      }
      double window = (windowEnd - windowStart) / 1e3;
      r.itemsPerSecond = inWindow / window;
      r.mbPerSecond = bytesInWindow / window / 1e6;
      r.offeredMbPerSecond = sentBytes.get() / ((lastSendMillis - firstSendMillis) / 1e3) / 1e6;
      latencies.sort(null);
      r.p50 = percentile(latencies, 0.50);
      r.p99 = percentile(latencies, 0.99);
      r.max = latencies.isEmpty() ? -1 : latencies.get(latencies.size() - 1);
      progress.accept(String.format(Locale.ROOT, "phase %s: %.1f items/s, %.1f MB/s stored; latency p50 %d ms,"
          + " p99 %d ms, max %d ms; %d acked, %d stored, %d failed calls",
          name, r.itemsPerSecond, r.mbPerSecond, r.p50, r.p99, r.max, r.acked, r.stored, r.failures));
      return r;
    }
  }

  static long percentile(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int i = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private static void sleepNanos(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ------------------------------------------------------------------------------------
  // SQL
  // ------------------------------------------------------------------------------------

  private long countRows(String run) throws SQLException {
    return queryLong("SELECT COUNT(*) FROM media_item WHERE project = ? AND run = ?", run);
  }

  private long countPhaseRows(String phase) throws SQLException {
    return queryLong("SELECT COUNT(*) FROM media_item WHERE project = ? AND run LIKE ?", phase + "-c%");
  }

  private long countStoredBetween(String phase, long fromMillis, long toMillis) throws SQLException {
    try (Connection c = DriverManager.getConnection(stack.jdbcUrl());
        PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM media_item WHERE project = ? AND run LIKE ?"
            + " AND stored_at >= ? AND stored_at < ?")) {
      q.setString(1, PROJECT);
      q.setString(2, phase + "-c%");
      q.setLong(3, fromMillis);
      q.setLong(4, toMillis);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  private long queryLong(String sql, String second) throws SQLException {
    try (Connection c = DriverManager.getConnection(stack.jdbcUrl());
        PreparedStatement q = c.prepareStatement(sql)) {
      q.setString(1, PROJECT);
      q.setString(2, second);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    } catch (SQLException e) {
      if (e.getMessage() != null && e.getMessage().contains("no such table")) {
        return 0;
      }
      throw e;
    }
  }

  /** identity ({@code run/key/step/index}) -> stored_at of every row of a phase. */
  private Map<String, Long> storedAt(String phase) throws SQLException {
    Map<String, Long> out = new HashMap<>();
    try (Connection c = DriverManager.getConnection(stack.jdbcUrl());
        PreparedStatement q = c.prepareStatement("SELECT run, log_key, step, item_index, stored_at FROM media_item"
            + " WHERE project = ? AND run LIKE ?")) {
      q.setString(1, PROJECT);
      q.setString(2, phase + "-c%");
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getLong(3) + "/" + rs.getInt(4), rs.getLong(5));
        }
      }
    }
    return out;
  }

  private int integer(String key, int fallback) {
    return Integer.parseInt(options.getOrDefault(key, String.valueOf(fallback)));
  }

  private long mb(String key, long fallback) {
    return Long.parseLong(options.getOrDefault(key, String.valueOf(fallback))) * 1_000_000L;
  }

  // ------------------------------------------------------------------------------------
  // results
  // ------------------------------------------------------------------------------------

  static final class PhaseResult {
    String name;
    String instances;
    long acked;
    long stored;
    long failures;
    long callsWithRejections;
    double itemsPerSecond;
    /** Payload MB/s of the items stored in the steady window: the bytes the raw-Kafka baseline moves per item. */
    double mbPerSecond;
    double offeredMbPerSecond;
    long p50;
    long p99;
    long max;
    String profile = "";
    StageCpu.Window cpu;

    String mix() {
      return name.substring(0, name.indexOf('-'));
    }

    boolean peak() {
      return name.contains("-peak-");
    }
  }

  static final class Summary {
    int run = 1;
    String mix = "-";
    String loadBefore = "";
    String loadAfter = "";
    /** Raw Kafka produce+consume per mix name, of that mix's payload bytes. */
    final Map<String, RawKafkaBaseline.Result> baselines = new LinkedHashMap<>();
    final List<PhaseResult> phases = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    PhaseResult phase(String name) {
      return phases.stream().filter(p -> p.name.equals(name)).findFirst().orElse(null);
    }

    /** Stored payload bytes/s as a share of raw Kafka's with the same payloads (NaN without a baseline). */
    double ofKafka(PhaseResult p) {
      RawKafkaBaseline.Result b = baselines.get(p.mix());
      return b == null ? Double.NaN : p.mbPerSecond / b.mbPerSecond();
    }

    String text() {
      StringBuilder b = new StringBuilder("== end-to-end summary, run " + run + " (media mix: " + mix
          + "), load average " + loadBefore + " before, " + loadAfter + " after\n");
      baselines.forEach((name, baseline) -> b.append(String.format(Locale.ROOT, "raw Kafka produce+consume, same"
          + " broker, %s payloads: %.1f MB/s (%d records, %.0f MB in %.1f s; produce alone %.1f MB/s)%n", name,
          baseline.mbPerSecond(), baseline.records(), baseline.bytes() / 1e6, baseline.seconds(),
          baseline.produceMbPerSecond())));
      b.append('\n').append("| phase | instances | items/s | payload MB/s | of raw Kafka | p50 ms | p99 ms | max ms"
          + " | stored / acked | failed calls |\n|---|---|---|---|---|---|---|---|---|---|\n");
      for (PhaseResult p : phases) {
        b.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.0f %% | %d | %d | %d | %d / %d | %d |%n",
            p.name, p.instances + " T+S", p.itemsPerSecond, p.mbPerSecond, 100 * ofKafka(p), p.p50, p.p99, p.max,
            p.stored, p.acked, p.failures));
      }
      b.append('\n');
      notes.forEach(n -> b.append("note: ").append(n).append('\n'));
      for (PhaseResult p : phases) {
        if (p.cpu != null) {
          b.append("\n-- CPU per stage, ").append(p.name).append(": ").append(p.cpu.table());
        }
      }
      for (PhaseResult p : phases) {
        if (!p.profile.isEmpty()) {
          b.append("-- ").append(p.name).append(": ").append(p.profile);
        }
      }
      return b.toString();
    }

    /** One line per run: peak rate, half-of-peak latency (1 + 1 and 2 + 2), pass-through share; then the goals. */
    static String combined(List<Summary> runs) {
      StringBuilder b = new StringBuilder("== all runs\n\n| run | load avg before | media peak 1x items/s (MB/s)"
          + " | media peak 2x items/s (MB/s) | half 1x p50 / p99 / max ms | half 2x p50 / p99 / max ms"
          + " | non-kernel share (pipeline / stages), peak 1x | pass-through of raw Kafka 1x / 2x |\n"
          + "|---|---|---|---|---|---|---|---|\n");
      boolean latencyMet = true;
      boolean anyLatency = false;
      for (Summary s : runs) {
        PhaseResult peak1 = s.phase("media-peak-1x");
        PhaseResult peak2 = s.phase("media-peak-2x");
        PhaseResult half1 = s.phase("media-half-1x");
        PhaseResult half2 = s.phase("media-half-2x");
        for (PhaseResult h : new PhaseResult[] {half1, half2}) {
          if (h != null) {
            anyLatency = true;
            latencyMet &= h.p99 >= 0 && h.p99 < 2000 && h.stored == h.acked;
          }
        }
        b.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %s / %s |%n", s.run, s.loadBefore,
            rate(peak1), rate(peak2), latency(half1), latency(half2),
            peak1 == null || peak1.cpu == null ? "-" : String.format(Locale.ROOT, "%.0f %% / %.0f %%",
                100 * peak1.cpu.nonKernelShare(StageCpu.PIPELINE), 100 * peak1.cpu.nonKernelShare(StageCpu.SERVICES)),
            share(s, s.phase("passthrough-peak-1x")), share(s, s.phase("passthrough-peak-2x"))));
      }
      if (anyLatency) {
        b.append(String.format(Locale.ROOT, "%np99 ack → row < 2 s at half of peak, 1 + 1 and 2 + 2, in all %d runs"
            + " (and every acknowledged item stored): %s%n", runs.size(), latencyMet ? "yes" : "**no**"));
      }
      return b.toString();
    }

    private static String rate(PhaseResult p) {
      return p == null ? "-" : String.format(Locale.ROOT, "%.1f (%.1f)", p.itemsPerSecond, p.mbPerSecond);
    }

    private static String latency(PhaseResult p) {
      return p == null ? "-" : p.p50 + " / " + p.p99 + " / " + p.max;
    }

    private static String share(Summary s, PhaseResult p) {
      return p == null ? "-" : String.format(Locale.ROOT, "%.0f %%", 100 * s.ofKafka(p));
    }

    String json() {
      StringBuilder b = new StringBuilder("{\n");
      b.append("  \"run\": ").append(run).append(",\n");
      b.append("  \"mix\": \"").append(mix).append("\",\n");
      b.append("  \"load_average_before\": \"").append(loadBefore).append("\",\n");
      b.append("  \"baselines\": {");
      int n = 0;
      for (var e : baselines.entrySet()) {
        RawKafkaBaseline.Result baseline = e.getValue();
        b.append(n++ > 0 ? ", " : "").append(String.format(Locale.ROOT, "\"%s\": {\"mb_per_s\": %.2f,"
            + " \"produce_mb_per_s\": %.2f, \"records\": %d, \"bytes\": %d, \"seconds\": %.2f}", e.getKey(),
            baseline.mbPerSecond(), baseline.produceMbPerSecond(), baseline.records(), baseline.bytes(),
            baseline.seconds()));
      }
      b.append("},\n  \"phases\": [\n");
      for (int i = 0; i < phases.size(); i++) {
        PhaseResult p = phases.get(i);
        b.append(String.format(Locale.ROOT, "    {\"name\": \"%s\", \"instances\": \"%s\", \"items_per_s\": %.2f,"
            + " \"mb_per_s\": %.2f, \"of_raw_kafka\": %.4f, \"offered_mb_per_s\": %.2f, \"p50_ms\": %d,"
            + " \"p99_ms\": %d, \"max_ms\": %d, \"acked\": %d, \"stored\": %d, \"failed_calls\": %d,"
            + " \"calls_with_rejections\": %d%s}%s%n",
            p.name, p.instances, p.itemsPerSecond, p.mbPerSecond, ofKafka(p), p.offeredMbPerSecond, p.p50, p.p99,
            p.max, p.acked, p.stored, p.failures, p.callsWithRejections, p.cpu == null ? "" : cpuJson(p.cpu),
            i + 1 < phases.size() ? "," : ""));
      }
      b.append("  ],\n  \"notes\": [");
      for (int i = 0; i < notes.size(); i++) {
        b.append(i > 0 ? ", " : "").append('"').append(notes.get(i).replace("\\", "\\\\").replace("\"", "\\\""))
            .append('"');
      }
      return b.append("]\n}").toString();
    }

    private static String cpuJson(StageCpu.Window w) {
      StringBuilder b = new StringBuilder(String.format(Locale.ROOT, ", \"cpu\": {\"items\": %d, \"seconds\": %.2f,"
          + " \"kernel_s\": %.3f, \"non_kernel_share_pipeline\": %.4f, \"non_kernel_share_stages\": %.4f, \"stages_s\": {",
          w.items(), w.seconds(), w.kernelSeconds(), w.nonKernelShare(StageCpu.PIPELINE),
          w.nonKernelShare(StageCpu.SERVICES)));
      int n = 0;
      for (var e : w.stages().entrySet()) {
        b.append(n++ > 0 ? ", " : "").append(String.format(Locale.ROOT, "\"%s\": %.3f", e.getKey(), e.getValue()));
      }
      return b.append("}}").toString();
    }
  }
}
