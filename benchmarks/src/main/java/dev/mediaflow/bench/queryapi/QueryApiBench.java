package dev.mediaflow.bench.queryapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediaflow.embedded.EmbeddedStack;
import dev.mediaflow.embedded.StackInspector;
import dev.mediaflow.ingest.client.LogCallRequest;
import dev.mediaflow.ingest.npy.NpyWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scale case of issue 11 against the query API: logs {@value #STEPS} steps × {@value #IMAGES}
 * images (64×64 RGB) plus a 32-bin histogram per step and {@value #CLOUDS} clouds of
 * {@value #CLOUD_POINTS} points through the gateway of a fresh embedded stack (SQLite), then times
 * what the browser's run page loads (runs, run, keys, steps, the first page of a step's items and
 * its 16 previews, 6 at a time as a browser fetches), cold (previews never made) and warm, the
 * histogram series over every step, and the PLY of a 300,000-point cloud. Medians of
 * {@value #REPS} repetitions. See BENCHMARKS.md ("Query API (issue 11)").
 *
 * <p>{@code java ... QueryApiBench <data-dir>}; a data directory that already holds the run is
 * reused (only the measurements run).
 */
public final class QueryApiBench {
  static final int STEPS = 1000;
  static final int IMAGES = 16;
  static final int CLOUDS = 3;
  static final int CLOUD_POINTS = 300_000;
  static final int REPS = 5;
  static final int BROWSER_CONNECTIONS = 6;
  private static final String PROJECT = "bench";
  private static final String RUN = "scale";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  /** Milliseconds of each request of the run page, by name, cold and warm together. */
  private static final Map<String, List<Long>> PHASES = new LinkedHashMap<>();

  private QueryApiBench() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args.length > 0 ? args[0] : "/tmp/mediaflow-bench/query-api-data");
    try (EmbeddedStack stack = EmbeddedStack.start(dataDir, null, line -> { });
        StackInspector inspector = new StackInspector(stack)) {
      long begin = System.nanoTime();
      long expected = (long) STEPS * IMAGES + STEPS + CLOUDS;
      if (inspector.rows(PROJECT, RUN) >= expected) {
        System.out.println("[query-api] reusing the run already stored in " + dataDir);
      } else {
        log(stack);
      }
      while (inspector.rows(PROJECT, RUN) < expected) {
        Thread.sleep(500);
      }
      System.out.printf("[query-api] logged and stored %d items (%d steps x %d images, %d histograms, %d clouds of"
          + " %d points) in %d s%n", expected, STEPS, IMAGES, STEPS, CLOUDS, CLOUD_POINTS, secondsSince(begin));
      measure(stack.queryUrl());
    }
  }

  private static void log(EmbeddedStack stack) throws Exception {
    byte[] image = noise(64, 64);
    byte[] cloud = cloud();
    AtomicInteger next = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(4);
    List<Future<?>> done = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      done.add(clients.submit(() -> {
        for (int step = next.getAndIncrement(); step < STEPS; step = next.getAndIncrement()) {
          logStep(stack.gatewayUrl(), step, image, step % (STEPS / (CLOUDS - 1)) == 0 || step == STEPS - 1
              ? cloud : null);
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    clients.shutdown();
  }

  private static void logStep(String gateway, int step, byte[] image, byte[] cloud) throws Exception {
    StringBuilder json = new StringBuilder("{\"step\": " + step + ", \"data\": {\"camera\": [");
    for (int i = 0; i < IMAGES; i++) {
      json.append(i == 0 ? "" : ", ").append("{\"_type\": \"image\", \"array\": \"px\", \"caption\": \"s")
          .append(step).append(" i").append(i).append("\", \"boxes\": {\"pred\": {\"class_labels\": {\"1\": \"a\"},"
          + " \"box_data\": [{\"position\": {\"minX\": 4, \"maxX\": 30, \"minY\": 4, \"maxY\": 30}, \"domain\":"
          + " \"pixel\", \"class_id\": 1, \"scores\": {\"conf\": 0.5}}]}}}");
    }
    json.append("], \"loss_hist\": {\"_type\": \"histogram\", \"np_histogram\": ").append(histogram(step)).append("}");
    if (cloud != null) {
      json.append(", \"lidar\": {\"_type\": \"object3D\", \"points\": \"cloud\"}");
    }
    LogCallRequest request = new LogCallRequest(json.append("}}").toString());
    request.part("px", "px.npy", "application/octet-stream", image);
    if (cloud != null) {
      request.part("cloud", "cloud.npy", "application/octet-stream", cloud);
    }
    HttpRequest call = HttpRequest.newBuilder(request.build(gateway, PROJECT, RUN), (n, v) -> true)
        .timeout(Duration.ofSeconds(120)).build();
    HttpResponse<String> response = HTTP.send(call, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("step " + step + ": " + response.statusCode() + " " + response.body());
    }
  }

  private static void measure(String base) throws Exception {
    List<Long> cold = new ArrayList<>();
    List<Long> warm = new ArrayList<>();
    for (int rep = 0; rep < REPS; rep++) {
      int step = STEPS - 1 - rep; // a step whose previews were never made
      cold.add(runPage(base, step));
      warm.add(runPage(base, step));
    }
    report("run page data, cold previews (runs, run, keys, steps, 16 items, 16 previews)", cold);
    report("run page data, warm (previews cached)", warm);
    PHASES.forEach((phase, millis) -> report("  of which " + phase + " (cold and warm)", millis));
    List<Long> histograms = new ArrayList<>();
    List<Long> ply = new ArrayList<>();
    String plyUrl = null;
    for (int rep = 0; rep < REPS; rep++) {
      long begin = System.nanoTime();
      JsonNode series = json(base + "/api/v1/projects/bench/runs/scale/keys/loss_hist/histograms");
      histograms.add(millisSince(begin));
      check(series.get("series").size() == STEPS, "histogram series of every step");
      if (plyUrl == null) {
        plyUrl = json(base + "/api/v1/projects/bench/runs/scale/keys/lidar/items?limit=1").get("items").get(0)
            .get("ply_url").asText();
      }
      begin = System.nanoTime();
      HttpResponse<byte[]> body = HTTP.send(HttpRequest.newBuilder(URI.create(base + plyUrl)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      ply.add(millisSince(begin));
      check(body.statusCode() == 200 && body.body().length > CLOUD_POINTS * 15, "PLY of the whole cloud");
    }
    report("histogram series, " + STEPS + " steps x 32 bins", histograms);
    report("PLY of a " + CLOUD_POINTS + "-point cloud (" + CLOUD_POINTS * 15 / 1_000_000 + " MB)", ply);
  }

  /** The requests of the browser's run page for one step; returns the wall time in ms. */
  private static long runPage(String base, int step) throws Exception {
    long begin = System.nanoTime();
    String run = base + "/api/v1/projects/bench/runs/scale";
    timed("GET runs", base + "/api/v1/projects/bench/runs");
    timed("GET run", run);
    timed("GET keys", run + "/keys");
    timed("GET steps", run + "/keys/camera/steps");
    String page = run + "/keys/camera/items?step=" + step + "&limit=" + IMAGES;
    JsonNode items = timed("GET items (16)", page).get("items");
    long previewsBegin = System.nanoTime();
    check(items.size() == IMAGES, "a page of " + IMAGES + " items");
    ExecutorService browser = Executors.newFixedThreadPool(BROWSER_CONNECTIONS);
    List<Future<Integer>> previews = new ArrayList<>();
    for (JsonNode item : items) {
      previews.add(browser.submit(() -> HTTP.send(HttpRequest.newBuilder(URI.create(base
          + item.get("preview_url").asText())).build(), HttpResponse.BodyHandlers.ofByteArray()).statusCode()));
    }
    for (Future<Integer> preview : previews) {
      check(preview.get() == 200, "preview 200");
    }
    browser.shutdown();
    PHASES.computeIfAbsent("16 previews, 6 at a time", k -> new ArrayList<>()).add(millisSince(previewsBegin));
    return millisSince(begin);
  }

  private static JsonNode timed(String phase, String url) throws Exception {
    long begin = System.nanoTime();
    JsonNode body = json(url);
    PHASES.computeIfAbsent(phase, k -> new ArrayList<>()).add(millisSince(begin));
    return body;
  }

  private static JsonNode json(String url) throws Exception {
    HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    check(response.statusCode() == 200, url + " answered " + response.statusCode());
    return JSON.readTree(response.body());
  }

  private static void report(String what, List<Long> millis) {
    List<Long> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    System.out.printf("[query-api] %s: median %d ms (runs %s)%n", what, sorted.get(sorted.size() / 2), millis);
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("check failed: " + what);
    }
  }

  private static String histogram(int step) {
    StringBuilder counts = new StringBuilder("[[");
    StringBuilder edges = new StringBuilder("[");
    for (int b = 0; b <= 32; b++) {
      if (b < 32) {
        counts.append(b == 0 ? "" : ", ").append((b * 7 + step) % 50);
      }
      edges.append(b == 0 ? "" : ", ").append(b - 16);
    }
    return counts.append("], ").append(edges).append("]]").toString();
  }

  private static byte[] noise(int height, int width) {
    byte[] px = new byte[height * width * 3];
    new Random(5).nextBytes(px);
    return NpyWriter.write("uint8", new long[] {height, width, 3}, px);
  }

  private static byte[] cloud() {
    ByteBuffer data = ByteBuffer.allocate(CLOUD_POINTS * 6 * 4).order(ByteOrder.LITTLE_ENDIAN);
    Random random = new Random(9);
    for (int i = 0; i < CLOUD_POINTS; i++) {
      data.putFloat(random.nextFloat() * 50).putFloat(random.nextFloat() * 50).putFloat(random.nextFloat() * 5)
          .putFloat(random.nextInt(256)).putFloat(random.nextInt(256)).putFloat(random.nextInt(256));
    }
    return NpyWriter.write("float32", new long[] {CLOUD_POINTS, 6}, data.array());
  }

  private static long millisSince(long begin) {
    return (System.nanoTime() - begin) / 1_000_000;
  }

  private static long secondsSince(long begin) {
    return (System.nanoTime() - begin) / 1_000_000_000;
  }
}
