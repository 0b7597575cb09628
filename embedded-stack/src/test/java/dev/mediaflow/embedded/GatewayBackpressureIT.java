package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediaflow.ingest.IngestConfig;
import dev.mediaflow.ingest.IngestService;
import dev.mediaflow.ingest.auth.AuthResult;
import dev.mediaflow.ingest.auth.Authenticator;
import dev.mediaflow.ingest.client.LogCallRequest;
import dev.mediaflow.ingest.npy.NpyWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, the edge on the real stack: stalled connections delay neither other clients nor
 * health; concurrent oversized uploads each get an answer and the gateway keeps storing; a call
 * that would exceed the memory budget gets 429 with Retry-After; limits are 413 with a reason.
 * The gateway under test is a second one on the stack, with small limits so each scenario is fast.
 */
class GatewayBackpressureIT extends PipelineTestBase {
  private static final String GOOD = "{\"_type\": \"image\", \"array\": \"good\"}";
  private static final long MIB = 1024 * 1024;
  private static final long BUDGET = 96 * MIB;
  private static final Duration IDLE = Duration.ofSeconds(8);
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  static Path dataDir;

  static IngestService gateway;
  static String url;

  @BeforeAll
  static void start() throws Exception {
    startStack(dataDir, null);
    Map<String, String> settings = baseSettings();
    settings.put(IngestConfig.MEMORY_BUDGET_BYTES, Long.toString(BUDGET));
    settings.put(IngestConfig.HTTP_MAX_PART_BYTES, Long.toString(4 * MIB));
    settings.put(IngestConfig.HTTP_MAX_PARTS, "20");
    settings.put(IngestConfig.HTTP_MAX_HEADER_BYTES, "4096");
    settings.put(IngestConfig.HTTP_IDLE_TIMEOUT_MS, Long.toString(IDLE.toMillis()));
    gateway = new IngestService(new IngestConfig(settings)).start();
    url = "http://127.0.0.1:" + gateway.httpPort();
  }

  private static Map<String, String> baseSettings() {
    Map<String, String> settings = new HashMap<>();
    settings.put(IngestConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers());
    settings.put(IngestConfig.SCHEMA_REGISTRY_URL, stack.registryUrl());
    settings.put(IngestConfig.HTTP_PORT, "0");
    settings.put(IngestConfig.AUTH_ENABLED, "false"); // API keys are ApiKeysIT's; the seam is tested here with our own
    return settings;
  }

  @AfterAll
  static void stopGateway() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void shouldServeOtherClientsAndHealthWhileSixteenConnectionsStallAfterTheirHeaders() throws Exception {
    // Given the latency of normal calls and of /health on an idle gateway (8 call threads)
    String run = "stall-" + UUID.randomUUID();
    List<Long> callsAlone = normalCalls(run + "-alone", 20);
    List<Long> healthAlone = healthCalls(20);

    // When 16 connections send their headers and then stall
    List<Socket> stalled = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      stalled.add(stalledUpload(1000));
    }
    long stalledAt = System.nanoTime();
    List<Long> callsStalled = normalCalls(run + "-stalled", 20);
    List<Long> healthStalled = healthCalls(20);

    // Then normal calls and health answer as fast as before, and the stalled ones are dropped after the idle timeout
    System.out.printf(Locale.ROOT, "[figures] 16 connections stalled after their headers: normal call p50 %d ms alone,"
        + " %d ms with them (max %d ms); /health p50 %d ms alone, %d ms with them (max %d ms)%n",
        p50(callsAlone), p50(callsStalled), Collections.max(callsStalled), p50(healthAlone), p50(healthStalled),
        Collections.max(healthStalled));
    assertThat(Collections.max(callsStalled)).as("slowest call while stalled (ms)").isLessThan(IDLE.toMillis() / 2);
    assertThat(p50(callsStalled)).isLessThan(p50(callsAlone) * 4 + 250);
    assertThat(Collections.max(healthStalled)).as("slowest /health while stalled (ms)").isLessThan(1000);
    List<String> endings = new ArrayList<>();
    for (Socket socket : stalled) {
      endings.add(readUntilClosed(socket));
    }
    long droppedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stalledAt);
    System.out.printf(Locale.ROOT, "[figures] the 16 stalled connections ended %d ms after they stalled (idle timeout"
        + " %d ms): %s%n", droppedAfter, IDLE.toMillis(), endings.get(0));
    assertThat(droppedAfter).isLessThan(IDLE.toMillis() + 10_000);
    awaitRows(run + "-stalled", 20);
  }

  @Test
  void shouldAnswerEveryConcurrentOversizedUploadAndKeepStoring() throws Exception {
    // Given 4 clients each streaming a 200 MB part to the small-limit gateway (2 with Content-Length, 2 chunked)
    List<String> refused = uploadConcurrently(url, 1, 200L * 1000 * 1000);

    // And 4 clients each streaming 200 MB as 4 parts of 50 MB (within the part limit) to a gateway whose budget is
    // 480 MiB: one such call at a time fits (it reserves 400 MB), the others must wait their turn
    Map<String, String> settings = baseSettings();
    settings.put(IngestConfig.MEMORY_BUDGET_BYTES, Long.toString(480 * MIB));
    List<String> admitted;
    String after = "after-big-" + UUID.randomUUID();
    try (IngestService roomy = new IngestService(new IngestConfig(settings)).start()) {
      String base = "http://127.0.0.1:" + roomy.httpPort();
      admitted = uploadConcurrently(base, 4, 50L * 1000 * 1000);

      // Then each got an answer, nothing is held any more, and a normal call afterwards is stored
      HttpResponse<String> normal = CLIENT.send(new LogCallRequest(log(0)).part("good", "good.npy",
          "application/octet-stream", goodImage()).build(base, "it", after), HttpResponse.BodyHandlers.ofString());
      assertThat(normal.statusCode()).isEqualTo(200);
      assertThat(metric(base, "mediaflow_ingest_memory_in_flight_bytes")).isEqualTo("0.0");
    }
    awaitRows(after, 1);
    System.out.printf(Locale.ROOT, "[figures] 4 concurrent 200 MB uploads: one 200 MB part each (budget %d MiB, part"
        + " limit 4 MiB) -> %s; 4 parts of 50 MB each (budget 480 MiB) -> %s; in-flight memory afterwards 0 bytes,"
        + " max heap used %d MiB of %d; normal call afterwards stored%n", BUDGET / MIB, refused, admitted,
        maxHeapUsedMib(), Runtime.getRuntime().maxMemory() / MIB);
    assertThat(metric(url, "mediaflow_ingest_memory_in_flight_bytes")).isEqualTo("0.0");
  }

  /** Four concurrent uploads of {@code parts} x {@code partSize} zero bytes (two chunked); answers as "status code ms". */
  private static List<String> uploadConcurrently(String base, int parts, long partSize) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<String>> uploads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      boolean chunked = i % 2 == 1;
      uploads.add(pool.submit(() -> {
        long start = System.nanoTime();
        HttpResponse<String> response = CLIENT.send(oversized(base, "big-" + UUID.randomUUID(), parts, partSize,
            chunked), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isIn(200, 413, 429);
        if (response.statusCode() == 429) {
          assertThat(response.headers().firstValue("Retry-After")).isPresent();
        }
        return response.statusCode() + (chunked ? " chunked " : " ") + readJson(response.body()).path("error_code")
            .asText("accepted=" + readJson(response.body()).path("accepted").asInt()) + " "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms";
      }));
    }
    List<String> answers = new ArrayList<>();
    for (Future<String> upload : uploads) {
      answers.add(upload.get(120, TimeUnit.SECONDS));
    }
    pool.shutdown();
    return answers;
  }

  private static long maxHeapUsedMib() {
    return java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP && p.getPeakUsage() != null)
        .mapToLong(p -> p.getPeakUsage().getUsed()).sum() / MIB;
  }

  @Test
  void shouldAnswer429WithRetryAfterWhileTheMemoryBudgetIsHeldAndStoreOnceFreed() throws Exception {
    // Given an upload that declared 46 MiB (reserving 92 of the 96 MiB budget) and stalled
    Socket holder = stalledUpload(46 * MIB);
    awaitMetricAtLeast("mediaflow_ingest_memory_in_flight_bytes", 92 * MIB);
    String run = "budget-" + UUID.randomUUID();
    byte[] threeMib = NpyWriter.write("uint8", new long[] {3 * 1024, 1024}, new byte[(int) (3 * MIB)]);

    // When a 3 MiB call arrives (it would reserve 6), with a small neighbour call
    HttpResponse<String> refused = CLIENT.send(request(run, 0, Map.of("good", threeMib)),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> small = CLIENT.send(request(run, 1, Map.of("good", goodImage())),
        HttpResponse.BodyHandlers.ofString());

    // Then it is answered 429 with Retry-After and a JSON reason; the small one is stored
    JsonNode body = JSON.readTree(refused.body());
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(body.path("error_code").asText()).isEqualTo("memory_budget_exhausted");
    assertThat(body.path("message").asText()).contains("retry later");
    assertThat(small.statusCode()).as(small.body()).isEqualTo(200);

    // And once the holder goes away, the same call is stored
    holder.close();
    awaitMetricAtMost("mediaflow_ingest_memory_in_flight_bytes", 0);
    HttpResponse<String> retried = CLIENT.send(request(run, 0, Map.of("good", threeMib)),
        HttpResponse.BodyHandlers.ofString());
    assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
    awaitRows(run, 2);
    System.out.printf(Locale.ROOT, "[figures] memory budget %d MiB, 92 MiB held by a stalled upload: a 3 MiB call ->"
        + " %d Retry-After %s (%s), its 48-byte neighbour -> %d; after the holder left the retry -> %d, 2 rows%n",
        BUDGET / MIB, refused.statusCode(), refused.headers().firstValue("Retry-After").orElse("-"),
        body.path("error_code").asText(), small.statusCode(), retried.statusCode());
  }

  @Test
  void shouldAnswerEachLimitWith413AndItsReasonAndKeepStoring() throws Exception {
    // Given a call with a 5 MiB part (limit 4), one with 25 parts (limit 20), one whose part headers are 6 KB (limit 4)
    String run = "limits-" + UUID.randomUUID();
    LogCallRequest bigPart = new LogCallRequest(log(0)).part("good", "good.npy", "application/octet-stream",
        new byte[(int) (5 * MIB)]);
    LogCallRequest manyParts = new LogCallRequest(log(0));
    for (int i = 0; i < 24; i++) {
      manyParts.part("p" + i, "p" + i + ".npy", "application/octet-stream", goodImage());
    }
    LogCallRequest bigHeaders = new LogCallRequest(log(0)).part("good", "good.npy", "x/" + "y".repeat(6000),
        goodImage());

    // When they are sent, each followed by a good call
    Map<String, HttpResponse<String>> answers = new java.util.LinkedHashMap<>();
    answers.put("part_too_large", CLIENT.send(bigPart.build(url, "it", run), HttpResponse.BodyHandlers.ofString()));
    answers.put("too_many_parts", CLIENT.send(manyParts.build(url, "it", run), HttpResponse.BodyHandlers.ofString()));
    answers.put("part_headers_too_large", CLIENT.send(bigHeaders.build(url, "it", run),
        HttpResponse.BodyHandlers.ofString()));
    int good = 0;
    for (int i = 0; i < 3; i++) {
      good += CLIENT.send(request(run, i, Map.of("good", goodImage())), HttpResponse.BodyHandlers.ofString())
          .statusCode() == 200 ? 1 : 0;
    }
    HttpResponse<String> hugeHeader = CLIENT.send(HttpRequest.newBuilder(URI.create(url + "/v1/projects/it/runs/"
        + run + "/log")).header("X-Filler", "z".repeat(5000)).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());

    // Then each is a 413 naming the limit and its key, the request headers above the limit a 431, and the good calls are stored
    List<String> figures = new ArrayList<>();
    answers.forEach((code, response) -> {
      JsonNode body = readJson(response.body());
      figures.add(code + " -> " + response.statusCode() + " \"" + body.path("message").asText() + "\"");
      assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
      assertThat(body.path("error_code").asText()).isEqualTo(code);
      assertThat(body.path("message").asText()).contains("mediaflow.ingest.http.max.");
    });
    assertThat(hugeHeader.statusCode()).isEqualTo(431);
    assertThat(readJson(hugeHeader.body()).path("error_code").asText()).isEqualTo("headers_too_large");
    assertThat(good).isEqualTo(3);
    awaitRows(run, 3);
    System.out.printf(Locale.ROOT, "[figures] limits: %s; request headers of 5 KB (limit 4 KB) -> %d; 3 good calls"
        + " after them stored%n", figures, hugeHeader.statusCode());
  }

  @Test
  void shouldAskTheAuthenticatorBeforeReadingTheBodyAndStoreNothingRefused() throws Exception {
    // Given a gateway whose authenticator knows one key, for project "it" only
    Authenticator oneKey = (header, project) -> header == null ? new AuthResult(401, "no API key")
        : !header.equals("Bearer k1") ? new AuthResult(401, "unknown API key")
        : project.equals("it") ? AuthResult.allowed() : new AuthResult(403, "this key may not write to " + project);
    try (IngestService guarded = new IngestService(new IngestConfig(baseSettings()), oneKey).start()) {
      String base = "http://127.0.0.1:" + guarded.httpPort();
      String run = "auth-" + UUID.randomUUID();
      LogCallRequest call = new LogCallRequest(log(0)).part("good", "good.npy", "application/octet-stream", goodImage());

      // When calls come without a key, with an unknown key, with the key for another project, with the key
      HttpResponse<String> none = CLIENT.send(call.build(base, "it", run), HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> unknown = CLIENT.send(withKey(call.build(base, "it", run), "Bearer nope"),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> other = CLIENT.send(withKey(call.build(base, "other", run), "Bearer k1"),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> good = CLIENT.send(withKey(call.build(base, "it", run), "Bearer k1"),
          HttpResponse.BodyHandlers.ofString());
      long start = System.nanoTime();
      String unsentBody;
      try (Socket socket = new Socket("127.0.0.1", guarded.httpPort())) {
        socket.setSoTimeout(5000);
        socket.getOutputStream().write(("POST /v1/projects/it/runs/" + run + "/log HTTP/1.1\r\nHost: x\r\n"
            + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000000\r\n"
            + "Expect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        unsentBody = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      }
      long unsentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

      // Then 401, 401, 403 with the authenticator's reason, the keyed call stored, and only it
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(readJson(none.body()).path("error_code").asText()).isEqualTo("unauthorized");
      assertThat(readJson(none.body()).path("message").asText()).isEqualTo("no API key");
      assertThat(unknown.statusCode()).isEqualTo(401);
      assertThat(other.statusCode()).isEqualTo(403);
      assertThat(readJson(other.body()).path("error_code").asText()).isEqualTo("forbidden");
      assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
      assertThat(unsentBody).as("answered before any body byte was sent").isEqualTo("HTTP/1.1 401");
      awaitRows(run, 1);
      assertThat(inspector.rows("other", run)).isZero();
      System.out.printf(Locale.ROOT, "[figures] authenticator seam: no key -> %d, unknown key -> %d, other project ->"
          + " %d, key -> %d; a 100 MB call without key answered %s in %d ms before sending its body; rows: it 1,"
          + " other 0%n", none.statusCode(), unknown.statusCode(), other.statusCode(), good.statusCode(), unsentBody,
          unsentMs);
    }
  }

  @Test
  void shouldAnswer429WithRetryAfterAboveAProjectsRateAndWhenKafkasBufferIsNearlyFull() throws Exception {
    // Given a gateway limited to 2 calls/s per project, whose producer buffer is 16 MiB
    Map<String, String> settings = baseSettings();
    settings.put(IngestConfig.RATE_LIMIT_CALLS_PER_SECOND, "2");
    settings.put("kafka.buffer.memory", Long.toString(16 * MIB));
    try (IngestService limited = new IngestService(new IngestConfig(settings)).start()) {
      String base = "http://127.0.0.1:" + limited.httpPort();
      String run = "rate-" + UUID.randomUUID();

      // When project "it" makes 3 calls at once, project "it2" one, then (a second later) "it" sends 9 MiB
      List<HttpResponse<String>> burst = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        burst.add(CLIENT.send(new LogCallRequest(log(i)).part("good", "good.npy", "application/octet-stream",
            goodImage()).build(base, "it", run), HttpResponse.BodyHandlers.ofString()));
      }
      HttpResponse<String> neighbour = CLIENT.send(new LogCallRequest(log(0)).part("good", "good.npy",
          "application/octet-stream", goodImage()).build(base, "it2", run), HttpResponse.BodyHandlers.ofString());
      Thread.sleep(1100); // a full bucket again
      byte[] nineMib = new byte[(int) (9 * MIB)];
      HttpResponse<String> big = CLIENT.send(new LogCallRequest(log(9)).part("good", "good.npy",
          "application/octet-stream", nineMib).build(base, "it", run), HttpResponse.BodyHandlers.ofString());

      // Then the third call is 429 calls_rate_limited with Retry-After, it2's passes; the 9 MiB call is 429 producer_buffer_full
      assertThat(burst.get(0).statusCode()).isEqualTo(200);
      assertThat(burst.get(1).statusCode()).isEqualTo(200);
      assertThat(burst.get(2).statusCode()).isEqualTo(429);
      assertThat(burst.get(2).headers().firstValue("Retry-After")).hasValue("1");
      assertThat(readJson(burst.get(2).body()).path("error_code").asText()).isEqualTo("calls_rate_limited");
      assertThat(neighbour.statusCode()).isEqualTo(200);
      assertThat(big.statusCode()).as(big.body()).isEqualTo(429);
      assertThat(big.headers().firstValue("Retry-After")).isPresent();
      assertThat(readJson(big.body()).path("error_code").asText()).isEqualTo("producer_buffer_full");
      awaitRows(run, 2);
      System.out.printf(Locale.ROOT, "[figures] rate limit 2 calls/s: burst of 3 -> %d %d %d (Retry-After %s), other"
          + " project -> %d; 9 MiB call with a 16 MiB producer buffer -> %d %s%n", burst.get(0).statusCode(),
          burst.get(1).statusCode(), burst.get(2).statusCode(), burst.get(2).headers().firstValue("Retry-After")
          .orElse("-"), neighbour.statusCode(), big.statusCode(), readJson(big.body()).path("error_code").asText());
    }
  }

  @Test
  void shouldStoreACurlUploadThatWaitsFor100Continue() throws Exception {
    // Given curl (it sends Expect: 100-continue for bodies above 1 MB) and a 2 MiB array part
    org.junit.jupiter.api.Assumptions.assumeTrue(new java.io.File("/usr/bin/curl").canExecute(), "no curl");
    Path npy = dataDir.resolve("two-mib.npy");
    java.nio.file.Files.write(npy, NpyWriter.write("uint8", new long[] {2048, 1024}, new byte[(int) (2 * MIB)]));
    String run = "curl-" + UUID.randomUUID();

    // When it posts the README's shape of call
    Process curl = new ProcessBuilder("/usr/bin/curl", "-s", "-v", "-F", "log=" + log(0).replace("good", "a0")
        + ";type=application/json", "-F", "a0=@" + npy, url + "/v1/projects/it/runs/" + run + "/log")
        .redirectErrorStream(true).start();
    String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(curl.waitFor(60, TimeUnit.SECONDS)).isTrue();

    // Then it was told to continue, and the item is stored
    assertThat(output).contains("Expect: 100-continue", "HTTP/1.1 100 Continue", "{\"accepted\":1,\"rejected\":[]}");
    awaitRows(run, 1);
    System.out.printf(Locale.ROOT, "[figures] curl with Expect: 100-continue, 2 MiB part -> 100 Continue, 200, 1 row%n");
  }

  private static HttpRequest withKey(HttpRequest request, String authorization) {
    return HttpRequest.newBuilder(request, (name, value) -> true).header("Authorization", authorization).build();
  }

  private static JsonNode readJson(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  private static String log(int step) {
    return "{\"step\": " + step + ", \"data\": {\"img\": " + GOOD + "}}";
  }

  private static HttpRequest request(String run, int step, Map<String, byte[]> parts) {
    LogCallRequest request = new LogCallRequest(log(step));
    parts.forEach((name, data) -> request.part(name, name + ".npy", "application/octet-stream", data));
    return request.build(url, "it", run);
  }

  /** Makes {@code count} one-image calls one after the other; each must be answered 200. Returns their latencies (ms). */
  private static List<Long> normalCalls(String run, int count) throws Exception {
    List<Long> latencies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      HttpResponse<String> response = CLIENT.send(request(run, i, Map.of("good", goodImage())),
          HttpResponse.BodyHandlers.ofString());
      latencies.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
    return latencies;
  }

  private static List<Long> healthCalls(int count) throws Exception {
    List<Long> latencies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(url + "/health/live")).build(),
          HttpResponse.BodyHandlers.ofString());
      latencies.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      assertThat(response.statusCode()).isEqualTo(200);
    }
    return latencies;
  }

  private static long p50(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  /** A connection that sent a log call's headers (declaring {@code length} bytes of body), then nothing. */
  private static Socket stalledUpload(long length) throws IOException {
    Socket socket = new Socket("127.0.0.1", gateway.httpPort());
    socket.setSoTimeout((int) IDLE.toMillis() + 15_000);
    OutputStream out = socket.getOutputStream();
    out.write(("POST /v1/projects/it/runs/stalled/log HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data;"
        + " boundary=xyz\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }

  /** What the server sent before closing: its status line, or "closed". */
  private static String readUntilClosed(Socket socket) throws IOException {
    try (socket) {
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      socket.getInputStream().transferTo(received);
      String text = received.toString(StandardCharsets.US_ASCII);
      return text.isEmpty() ? "closed without an answer" : text.lines().findFirst().orElse("");
    } catch (java.net.SocketException e) {
      return "reset: " + e.getMessage();
    }
  }

  /**
   * A log call naming one small image, plus {@code parts} unnamed parts of {@code partSize} zero bytes each, streamed
   * (never in memory), chunked or with Content-Length.
   */
  private static HttpRequest oversized(String base, String run, int parts, long partSize, boolean chunked) {
    String boundary = "big-" + UUID.randomUUID();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    head.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"log\"\r\n\r\n" + log(0) + "\r\n--"
        + boundary + "\r\nContent-Disposition: form-data; name=\"good\"; filename=\"good.npy\"\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8));
    head.writeBytes(goodImage());
    byte[] headBytes = head.toByteArray();
    java.util.function.IntFunction<byte[]> partHead = i -> ("\r\n--" + boundary + "\r\nContent-Disposition: form-data;"
        + " name=\"big" + i + "\"; filename=\"big" + i + ".bin\"\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    long length = headBytes.length + tail.length;
    for (int i = 0; i < parts; i++) {
      length += partHead.apply(i).length + partSize;
    }
    java.util.function.Supplier<InputStream> body = () -> {
      List<InputStream> pieces = new ArrayList<>(List.of(new java.io.ByteArrayInputStream(headBytes)));
      for (int i = 0; i < parts; i++) {
        pieces.add(new java.io.ByteArrayInputStream(partHead.apply(i)));
        pieces.add(new Zeros(partSize));
      }
      pieces.add(new java.io.ByteArrayInputStream(tail));
      return new SequenceInputStream(Collections.enumeration(pieces));
    };
    HttpRequest.BodyPublisher publisher = chunked ? HttpRequest.BodyPublishers.ofInputStream(body)
        : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(body), length);
    return HttpRequest.newBuilder(URI.create(base + "/v1/projects/it/runs/" + run + "/log"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(publisher).build();
  }

  private static String metric(String name) throws Exception {
    return metric(url, name);
  }

  private static String metric(String base, String name) throws Exception {
    String text = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return text.lines().filter(l -> l.startsWith(name + " ")).map(l -> l.substring(name.length() + 1))
        .findFirst().orElse("missing");
  }

  /** Prometheus prints every value as a decimal (Micrometer): {@code 0.0}, {@code 9.6468992E7}. */
  private static long bytes(String value) {
    return (long) Double.parseDouble(value);
  }

  private static void awaitMetricAtLeast(String name, long value) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (bytes(metric(name)) < value && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(bytes(metric(name))).isGreaterThanOrEqualTo(value);
  }

  private static void awaitMetricAtMost(String name, long value) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (bytes(metric(name)) > value && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(bytes(metric(name))).isLessThanOrEqualTo(value);
  }

  private static byte[] goodImage() {
    byte[] pixels = new byte[4 * 4 * 3];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 5);
    }
    return NpyWriter.write("uint8", new long[] {4, 4, 3}, pixels);
  }

  /** {@code size} zero bytes, produced as read. */
  private static final class Zeros extends InputStream {
    private long left;

    Zeros(long size) {
      this.left = size;
    }

    @Override
    public int read() {
      if (left <= 0) {
        return -1;
      }
      left--;
      return 0;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      java.util.Arrays.fill(b, off, off + n, (byte) 0);
      left -= n;
      return n;
    }
  }
}
