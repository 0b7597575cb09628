package dev.mediaflow.bench.e2e;

import dev.mediaflow.cluster.ComposeFile;
import dev.mediaflow.cluster.ProcessCpu;
import dev.mediaflow.cluster.ProductionTopology;
import dev.mediaflow.cluster.ServiceInstance;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scale-out on the production topology ({@link ProductionTopology}: three brokers, the registry,
 * S3Proxy, PostgreSQL and the services of docker-compose.yml as separate processes): throughput
 * of the mixed workload ({@link LoadMix}) with 1 and then 2 instances of each stage, and the CPU
 * seconds each stage spends per item, read from {@code /proc/<pid>/stat} of its processes over
 * the measured window.
 *
 * <p>{@code ScaleBench DATA_DIR [key=value...]}: {@code seconds} (40, the measured window of
 * each phase), {@code warmupSeconds} (30, load before the window), {@code idleSeconds} (10, the
 * idle CPU measured before each phase), {@code clients} (4), {@code backlogMb} (32),
 * {@code clouds} (true: point clouds in the mix).
 */
public final class ScaleBench {
  private static final String PROJECT = "scale";
  private static final List<String> JVM = List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError");

  private final ProductionTopology topology;
  private final Map<String, String> options;
  private final String apiKey;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  private ScaleBench(ProductionTopology topology, Map<String, String> options) {
    this.topology = topology;
    this.options = options;
    this.apiKey = topology.createWriteKey(PROJECT);
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      options.put(kv[0], kv[1]);
    }
    long t0 = System.nanoTime();
    try (ProductionTopology topology = ProductionTopology.start(Path.of(args[0]), ComposeFile.read(ComposeFile.locate()),
        2, JVM, line -> System.out.printf(Locale.ROOT, "[%5.1fs] %s%n", (System.nanoTime() - t0) / 1e9, line))) {
      new ScaleBench(topology, options).run();
    }
    System.exit(0);
  }

  private void run() throws Exception {
    LoadMix mix = new LoadMix(true, !"false".equals(options.get("clouds")));
    List<String> lines = new ArrayList<>();
    // phase 1: the second instance of every stage stopped (SIGTERM), so one of each serves
    for (String stage : ProductionTopology.STAGES) {
      topology.instances(stage).get(1).close();
    }
    lines.add(phase("1x", mix, 1));
    for (String stage : ProductionTopology.STAGES) {
      topology.instances(stage).get(1).start();
    }
    for (String stage : ProductionTopology.STAGES) {
      topology.instances(stage).get(1).awaitReady(Duration.ofMinutes(2));
    }
    lines.add(phase("2x", mix, 2));
    System.out.println();
    lines.forEach(System.out::println);
  }

  /** Closed loop through the running gateways, at most backlogMb sent but not stored; measures the window after warmup. */
  private String phase(String name, LoadMix mix, int instances) throws Exception {
    // what the processes burn with no load (heartbeats, metadata, GC): subtracted per second below
    Snapshot idleStart = snapshot(name);
    long idleBegin = System.nanoTime();
    Thread.sleep(integer("idleSeconds", 10) * 1000L);
    Map<String, Double> idlePerSecond = perSecond(idleStart, snapshot(name), (System.nanoTime() - idleBegin) / 1e9);
    List<String> gateways = topology.instances("ingest").subList(0, instances).stream()
        .map(ServiceInstance::httpUrl).toList();
    int clients = integer("clients", 4);
    long backlog = integer("backlogMb", 32) * 1_000_000L;
    AtomicLong ackedItems = new AtomicLong();
    AtomicLong ackedBytes = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    long end = System.nanoTime() + (integer("warmupSeconds", 30) + integer("seconds", 40)) * 1_000_000_000L;
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      String run = name + "-c" + c;
      String gateway = gateways.get(c % gateways.size());
      Thread t = new Thread(() -> {
        for (long step = 0; System.nanoTime() < end; step++) {
          while (unstored(ackedItems, ackedBytes, name) > backlog && System.nanoTime() < end) {
            sleep(20);
          }
          send(mix.call(step), gateway, run, ackedItems, ackedBytes, failures);
        }
      }, "scale-client-" + c);
      t.start();
      threads.add(t);
    }
    Thread.sleep(integer("warmupSeconds", 30) * 1000L);
    Snapshot start = snapshot(name);
    long begin = System.nanoTime();
    for (Thread t : threads) {
      t.join();
    }
    Snapshot stop = snapshot(name);
    double seconds = (System.nanoTime() - begin) / 1e9;
    return describe(name, instances, start, stop, seconds, ackedBytes.get() / (double) Math.max(1, ackedItems.get()),
        failures.get(), idlePerSecond);
  }

  /** CPU seconds per stage and rows stored, at one moment. */
  private record Snapshot(Map<String, Double> cpu, long rows) {}

  private Snapshot snapshot(String run) throws SQLException {
    Map<String, Double> cpu = new LinkedHashMap<>();
    for (String stage : ProductionTopology.STAGES) {
      cpu.put(stage, topology.instances(stage).stream().mapToDouble(ServiceInstance::cpuSeconds).sum());
    }
    cpu.put("brokers", topology.kafka().nodeIds().stream().mapToDouble(id -> ProcessCpu.seconds(topology.kafka().pid(id)))
        .sum());
    cpu.put("bench JVM (load generator + S3Proxy)", ProcessCpu.seconds(ProcessHandle.current().pid()));
    return new Snapshot(cpu, rows(run));
  }

  private static Map<String, Double> perSecond(Snapshot start, Snapshot stop, double seconds) {
    Map<String, Double> rates = new LinkedHashMap<>();
    stop.cpu().forEach((part, cpu) -> rates.put(part, (cpu - start.cpu().get(part)) / seconds));
    return rates;
  }

  /** CPU-s/item of each part: all its CPU over the window, and (in brackets) less what it burns idle. */
  private String describe(String name, int instances, Snapshot start, Snapshot stop, double seconds,
      double bytesPerItem, long failures, Map<String, Double> idlePerSecond) throws IOException {
    long items = stop.rows() - start.rows();
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "[scale] %s (%d instance(s) per stage): %d items stored in %.1f s = %.1f items/s, %.1f MB/s of log calls"
            + " (%.0f bytes/item), %d failed calls; CPU-s/item:", name, instances, items, seconds, items / seconds,
        items * bytesPerItem / seconds / 1e6, bytesPerItem, failures));
    stop.cpu().forEach((part, cpu) -> {
      double used = cpu - start.cpu().get(part);
      out.append(String.format(Locale.ROOT, " %s %.4f (%.4f above idle %.2f cores)", part, used / Math.max(1, items),
          (used - idlePerSecond.get(part) * seconds) / Math.max(1, items), idlePerSecond.get(part)));
    });
    out.append("; load average ").append(Files.readString(Path.of("/proc/loadavg")).trim());
    System.out.println(out);
    return out.toString();
  }

  private long unstored(AtomicLong ackedItems, AtomicLong ackedBytes, String phase) {
    long acked = ackedItems.get();
    if (acked == 0) {
      return 0;
    }
    return (long) ((acked - cachedRows(phase)) * (ackedBytes.get() / (double) acked));
  }

  private volatile long rowsCheckedAt;
  private volatile long rowsSeen;

  /** Rows of the phase, re-counted at most every 200 ms (every client asks). */
  private long cachedRows(String phase) {
    if (System.nanoTime() - rowsCheckedAt > 200_000_000L) {
      synchronized (this) {
        try {
          rowsSeen = rows(phase);
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
        rowsCheckedAt = System.nanoTime();
      }
    }
    return rowsSeen;
  }

  private void send(LoadMix.Call call, String gateway, String run, AtomicLong items, AtomicLong bytes,
      AtomicLong failures) {
    try {
      HttpRequest request = HttpRequest.newBuilder(call.request().build(gateway, PROJECT, run), (n, v) -> true)
          .header("Authorization", "Bearer " + apiKey).timeout(Duration.ofSeconds(60)).build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200 || !response.body().contains("\"rejected\":[]")) {
        failures.incrementAndGet();
        System.out.println("call answered " + response.statusCode() + ": " + response.body());
        return;
      }
      items.addAndGet(call.itemKeys().size());
      bytes.addAndGet(call.bodyBytes());
    } catch (IOException e) {
      failures.incrementAndGet();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Rows of every client run of a phase (runs are named {@code <phase>-c<n>}). */
  private long rows(String phase) throws SQLException {
    try (Connection c = DriverManager.getConnection(topology.jdbcUrl());
        PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM media_item WHERE project = ? AND run LIKE ?")) {
      q.setString(1, PROJECT);
      q.setString(2, phase + "-c%");
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private int integer(String key, int fallback) {
    return Integer.parseInt(options.getOrDefault(key, Integer.toString(fallback)));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
