package dev.mediaflow.bench.edge;

import dev.mediaflow.bench.edge.EdgeCalls.Size;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The load test at the edge (issue 9): for a bounded time, against a running gateway,
 * <ul>
 *   <li>{@code clients} good clients (64) in a closed loop, each call one of three sizes
 *       ({@link EdgeCalls}: 6 in 10 small, 3 in 10 medium, 1 in 10 large, 16 MiB);</li>
 *   <li>{@code stalled} connections (32) that send a log call's headers with a Content-Length
 *       and then nothing ({@link StalledConnection});</li>
 *   <li>{@code uploaders} clients (4) each sending 201 MB image parts one after the other, the
 *       body generated while it is sent;</li>
 *   <li>a health probe, {@code GET /health/live} once a second.</li>
 * </ul>
 * Every client call has a timeout, so a gateway that hangs or dies still gets its report: calls/s
 * and p50/p99 latency of the good clients, the share of answers by status (no answer and
 * connection resets counted apart), the stalled connections' fate, the uploaders' answers, and the
 * heap high-water mark of the stack's JVM (from {@link EdgeStack}'s stats file). It only reports;
 * it passes or fails nothing.
 *
 * <p>Options ({@code --name value}): {@code --ready FILE} (url and pid written by
 * {@link EdgeStack}) or {@code --url URL}; {@code --seconds} (60), {@code --clients} (64),
 * {@code --stalled} (32), {@code --uploaders} (4), {@code --timeout} (30, seconds, per good call),
 * {@code --upload-timeout} (120), {@code --api-key} (default: env {@code MEDIAFLOW_API_KEY}; sent
 * as {@code Authorization: Bearer}), {@code --project} (bench), {@code --stats FILE},
 * {@code --stack-log FILE} (counts OutOfMemoryError lines), {@code --out FILE} (the report again).
 */
public final class EdgeLoad {
  private static final int HTTP_CLIENTS = 8;

  private final Map<String, String> options;
  private final EdgeCalls calls;
  private final String baseUrl;
  private final long stackPid;
  private final int seconds;
  private final Duration timeout;
  private final Duration uploadTimeout;
  private final Tally good = new Tally();
  private final Map<Size, Tally> bySize = new EnumMap<>(Size.class);
  private final Tally uploads = new Tally();
  private final Tally health = new Tally();
  private final List<StalledConnection> stalled = new ArrayList<>();
  private final List<HttpClient> httpClients = new ArrayList<>();
  private final AtomicLong pendingGood = new AtomicLong();
  private final AtomicLong pendingUploads = new AtomicLong();
  private final AtomicLongArray ok200PerSecond;
  private long startNanos;
  private long endNanos;

  private EdgeLoad(Map<String, String> options) throws IOException {
    this.options = options;
    Properties ready = new Properties();
    if (options.containsKey("ready")) {
      try (Reader r = Files.newBufferedReader(Path.of(options.get("ready")), StandardCharsets.UTF_8)) {
        ready.load(r);
      }
    }
    this.baseUrl = options.getOrDefault("url", ready.getProperty("url"));
    this.stackPid = Long.parseLong(ready.getProperty("pid", "-1"));
    String apiKey = options.getOrDefault("api-key", System.getenv("MEDIAFLOW_API_KEY"));
    this.calls = new EdgeCalls(baseUrl, options.getOrDefault("project", "bench"),
        apiKey == null || apiKey.isBlank() ? null : apiKey);
    this.seconds = integer("seconds", 60);
    this.timeout = Duration.ofSeconds(integer("timeout", 30));
    this.uploadTimeout = Duration.ofSeconds(integer("upload-timeout", 120));
    this.ok200PerSecond = new AtomicLongArray(seconds + (int) uploadTimeout.toSeconds() + 10);
    for (Size s : Size.values()) {
      bySize.put(s, new Tally());
    }
    for (int i = 0; i < HTTP_CLIENTS; i++) {
      httpClients.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10)).build());
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, got " + args[i]);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    String report = new EdgeLoad(options).run();
    System.out.println();
    System.out.println(report);
    if (options.containsKey("out")) {
      Files.writeString(Path.of(options.get("out")), report);
    }
    System.exit(0); // pending client threads must not keep the JVM alive
  }

  private String run() throws InterruptedException {
    int clients = integer("clients", 64);
    int stalledCount = integer("stalled", 32);
    int uploaders = integer("uploaders", 4);
    say(String.format(Locale.ROOT, "gateway %s; %d s: %d good clients (small %d B, medium %d B, large %d B),"
        + " %d stalled connections, %d uploaders of %d MB; call timeout %d s, upload timeout %d s",
        baseUrl, seconds, clients, calls.bodyBytes(Size.SMALL), calls.bodyBytes(Size.MEDIUM),
        calls.bodyBytes(Size.LARGE), stalledCount, uploaders, EdgeCalls.uploadBytes() / 1_000_000,
        timeout.toSeconds(), uploadTimeout.toSeconds()));
    startNanos = System.nanoTime();
    endNanos = startNanos + seconds * 1_000_000_000L;
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < stalledCount; i++) {
      StalledConnection s = new StalledConnection(calls.logUri("stalled-" + i),
          calls.stalledHead("stalled-" + i, 1_000_000), endNanos);
      stalled.add(s);
      start("stalled-" + i, s);
    }
    for (int i = 0; i < uploaders; i++) {
      int id = i;
      workers.add(start("uploader-" + i, () -> uploadLoop(id)));
    }
    for (int i = 0; i < clients; i++) {
      int id = i;
      workers.add(start("client-" + i, () -> goodLoop(id)));
    }
    start("health", this::healthLoop);
    monitor(workers);
    return report(clients, stalledCount, uploaders);
  }

  private static Thread start(String name, Runnable body) {
    Thread t = new Thread(body, "edge-" + name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Progress every 5 s until every worker is done (each call is bounded by its timeout). */
  private void monitor(List<Thread> workers) throws InterruptedException {
    long bound = endNanos + uploadTimeout.toNanos() + 15_000_000_000L;
    long nextReport = startNanos + 5_000_000_000L;
    while (workers.stream().anyMatch(Thread::isAlive) && System.nanoTime() < bound) {
      Thread.sleep(200);
      if (System.nanoTime() >= nextReport) {
        nextReport += 5_000_000_000L;
        Properties heap = stackStats();
        say(String.format(Locale.ROOT, "good: %d answered 200, %d no answer, %d reset, %d in flight; stalled held"
            + " open: %d/%d; uploads answered %d (%d in flight); health ok %d/%d; stack heap %s MB (max so far %s); load %s",
            good.count("200"), good.count(Tally.NO_ANSWER), good.count(Tally.CONNECTION_ERROR), pendingGood.get(),
            stalled.stream().filter(s -> s.fate() == StalledConnection.Fate.OPEN_AT_END).count(), stalled.size(),
            uploads.total(), pendingUploads.get(), health.count("200"), health.total(),
            heap.getProperty("heap.used.now.mb", "?"), heap.getProperty("heap.used.max.mb", "?"), loadAverage()));
      }
    }
  }

  private void goodLoop(int client) {
    HttpClient http = httpClients.get(client % HTTP_CLIENTS);
    String run = "edge-c" + client;
    for (long step = 0; System.nanoTime() < endNanos; step++) {
      Size size = EdgeCalls.sizeOf(step + client); // staggered: not every client sends a large call at once
      HttpRequest request = calls.call(run, step, size, timeout);
      long bytes = calls.bodyBytes(size);
      pendingGood.incrementAndGet();
      long t0 = System.nanoTime();
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        long millis = (System.nanoTime() - t0) / 1_000_000;
        boolean retryAfter = r.headers().firstValue("Retry-After").isPresent();
        good.answered(r.statusCode(), millis, bytes, retryAfter, r.body());
        bySize.get(size).answered(r.statusCode(), millis, bytes, retryAfter, r.body());
        if (r.statusCode() == 200) {
          ok200PerSecond.incrementAndGet((int) Math.min(ok200PerSecond.length() - 1,
              (System.nanoTime() - startNanos) / 1_000_000_000L));
        } else if (r.statusCode() == 429) {
          pause(retryAfterMillis(r));
        }
      } catch (IOException e) {
        good.failed(e);
        bySize.get(size).failed(e);
        pause(200); // a dead gateway must not be hammered in a tight loop
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        pendingGood.decrementAndGet();
      }
    }
  }

  private void uploadLoop(int uploader) {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    for (long step = 0; System.nanoTime() < endNanos; step++) {
      pendingUploads.incrementAndGet();
      long t0 = System.nanoTime();
      try {
        HttpResponse<String> r = http.send(calls.upload("edge-u" + uploader, step, uploadTimeout),
            HttpResponse.BodyHandlers.ofString());
        uploads.answered(r.statusCode(), (System.nanoTime() - t0) / 1_000_000, EdgeCalls.uploadBytes(),
            r.headers().firstValue("Retry-After").isPresent(), r.body());
        if (r.statusCode() == 429) {
          pause(retryAfterMillis(r));
        }
      } catch (IOException e) {
        uploads.failed(e);
        pause(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        pendingUploads.decrementAndGet();
      }
    }
  }

  private void healthLoop() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/health/live"))
        .timeout(Duration.ofSeconds(5)).GET().build();
    while (System.nanoTime() < endNanos) {
      long t0 = System.nanoTime();
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        health.answered(r.statusCode(), (System.nanoTime() - t0) / 1_000_000, 0, false, r.body());
      } catch (IOException e) {
        health.failed(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      pause(Math.max(0, 1000 - (System.nanoTime() - t0) / 1_000_000));
    }
  }

  /** Retry-After in seconds (the only form the gateway sends), at most 5 s; 1 s if absent. */
  private static long retryAfterMillis(HttpResponse<?> r) {
    try {
      return Math.min(5000, 1000 * Long.parseLong(r.headers().firstValue("Retry-After").orElse("1").trim()));
    } catch (NumberFormatException e) {
      return 1000;
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The machine's 1-minute load average, to judge how quiet the run was. */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  private Properties stackStats() {
    Properties p = new Properties();
    String file = options.get("stats");
    if (file != null) {
      try (Reader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException e) {
        p.setProperty("error", e.toString());
      }
    }
    return p;
  }

  private String report(int clients, int stalledCount, int uploaders) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "== edge under load: %d s, %d good clients, %d stalled connections,"
        + " %d uploaders of %d MB; gateway %s%n", seconds, clients, stalledCount, uploaders,
        EdgeCalls.uploadBytes() / 1_000_000, baseUrl));
    b.append(EdgeReport.good(good, bySize, seconds, pendingGood.get(), ok200PerSecond));
    b.append(EdgeReport.stalled(stalled));
    b.append(EdgeReport.calls("uploads of " + EdgeCalls.uploadBytes() / 1_000_000 + " MB", uploads,
        pendingUploads.get()));
    b.append(EdgeReport.calls("health (GET /health/live, 1/s, 5 s timeout)", health, 0));
    b.append(EdgeReport.heap(stackStats(), stackPid, options.get("stack-log")));
    return b.toString();
  }

  private int integer(String key, int fallback) {
    return Integer.parseInt(options.getOrDefault(key, String.valueOf(fallback)));
  }

  private void say(String line) {
    double t = startNanos == 0 ? 0 : (System.nanoTime() - startNanos) / 1e9;
    System.out.printf(Locale.ROOT, "[edge %5.1fs] %s%n", t, line);
  }
}
