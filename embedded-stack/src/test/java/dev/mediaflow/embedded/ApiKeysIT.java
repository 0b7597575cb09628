package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediaflow.ingest.client.LogCallRequest;
import dev.mediaflow.ingest.npy.NpyWriter;
import dev.mediaflow.metadata.ApiKeyToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-project API keys on the real stack with auth on: a key writes to its own project only
 * (403 elsewhere, nothing stored: no row, no raw-topic record), a call without a key or with an
 * unknown one is 401, a read key cannot write, a {@code *} key writes anywhere, a revoked key
 * stops working within the gateway's cache time, and no key ever reaches a log line.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiKeysIT extends PipelineTestBase {
  private static final Duration CACHE_TTL = Duration.ofSeconds(2);
  private static final LogCapture LOGS = new LogCapture();
  /** Every key this test made, for the check that none was logged. */
  private static final List<String> KEYS = new ArrayList<>();

  @TempDir
  static Path dataDir;

  @BeforeAll
  static void start() {
    LOGS.install();
    stack = EmbeddedStack.start(dataDir, null, line -> System.out.println("[stack] " + line), false,
        EmbeddedStack.AUTH_ON);
    inspector = new StackInspector(stack);
  }

  @AfterAll
  static void stopCapture() {
    LOGS.uninstall();
  }

  @Test
  @Order(1)
  void shouldRefuseAKeyOfProjectAOnProjectBWith403AndStoreNothingWhileGoodCallsGoOn() throws Exception {
    // Given
    String keyA = key("proj-a", "write");
    String star = key("*", "write");
    String refusedRun = run("cross");
    String goodRunA = run("a-good");
    String goodRunB = run("b-good");

    // When: A's key on B's path, with good calls of A (A's key) and of B (a * key) around it
    long begin = System.nanoTime();
    HttpResponse<String> refused = log(keyA, "proj-b", refusedRun);
    long refusedMs = millisSince(begin);
    HttpResponse<String> goodA = log(keyA, "proj-a", goodRunA);
    HttpResponse<String> goodB = log(star, "proj-b", goodRunB);

    // Then (a) the clear error, (b) the good calls are stored, (c) nothing of the refused one anywhere
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    JsonNode error = JSON.readTree(refused.body());
    assertThat(error.get("error_code").asText()).isEqualTo("forbidden");
    assertThat(error.get("message").asText()).contains("\"proj-b\"", "\"proj-a\"", idOf(keyA));
    assertThat(goodA.statusCode()).as(goodA.body()).isEqualTo(200);
    assertThat(goodB.statusCode()).as(goodB.body()).isEqualTo(200);
    long storedMs = awaitRows("proj-a", goodRunA, 1) + awaitRows("proj-b", goodRunB, 1);
    assertNothingStored("proj-b", refusedRun);
    System.out.printf("[figures] project A's key on project B: 403 in %d ms, rows 0, raw records 0;"
        + " the good calls of A and B stored (rows 1 + 1) within %d ms%n", refusedMs, storedMs);
  }

  @Test
  @Order(2)
  void shouldAnswer401WithoutAKeyOrWithAnUnknownOrMalformedOneAndStoreNothing() throws Exception {
    // Given
    String valid = key("proj-a", "write");
    String unknown = ApiKeyToken.generate(new SecureRandom()).plaintext();
    KEYS.add(unknown);
    String refusedRun = run("no-key");
    String goodRun = run("after-401");

    // When
    HttpResponse<String> missing = log(null, "proj-a", refusedRun);
    HttpResponse<String> unknownKey = log(unknown, "proj-a", refusedRun);
    HttpResponse<String> malformed = log("not-a-key", "proj-a", refusedRun);
    HttpResponse<String> good = log(valid, "proj-a", goodRun);

    // Then
    for (HttpResponse<String> refused : List.of(missing, unknownKey, malformed)) {
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
      assertThat(refused.headers().firstValue("WWW-Authenticate")).contains("Bearer");
      assertThat(JSON.readTree(refused.body()).get("error_code").asText()).isEqualTo("unauthorized");
    }
    assertThat(JSON.readTree(missing.body()).get("message").asText()).contains("missing API key");
    assertThat(JSON.readTree(unknownKey.body()).get("message").asText()).contains("unknown API key " + idOf(unknown))
        .doesNotContain(unknown);
    assertThat(JSON.readTree(malformed.body()).get("message").asText()).contains("malformed");
    assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
    awaitRows("proj-a", goodRun, 1);
    assertNothingStored("proj-a", refusedRun);
    System.out.printf("[figures] missing, unknown, malformed key: 401 %d/%d/%d with WWW-Authenticate: Bearer;"
        + " rows 0, raw records 0; the next good call stored%n", missing.statusCode(), unknownKey.statusCode(),
        malformed.statusCode());
  }

  @Test
  @Order(3)
  void shouldRefuseAReadKeyOnTheWriteEndpoint() throws Exception {
    // Given
    String read = key("proj-a", "read");
    String refusedRun = run("read-key");

    // When
    HttpResponse<String> refused = log(read, "proj-a", refusedRun);

    // Then
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    assertThat(JSON.readTree(refused.body()).get("message").asText()).contains("scope read");
    assertNothingStored("proj-a", refusedRun);
    System.out.println("[figures] read-scope key on the log endpoint: 403, rows 0, raw records 0");
  }

  @Test
  @Order(4)
  void shouldLetAStarKeyWriteToEveryProject() throws Exception {
    // Given
    String star = key("*", "write");
    String run = run("star");

    // When
    HttpResponse<String> first = log(star, "proj-x", run);
    HttpResponse<String> second = log(star, "proj-y", run);

    // Then
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
    awaitRows("proj-x", run, 1);
    awaitRows("proj-y", run, 1);
  }

  @Test
  @Order(5)
  void shouldStopAcceptingARevokedKeyWithinTheCacheTime() throws Exception {
    // Given a key in use
    String keyA = key("proj-a", "write");
    String run = run("revoked");
    assertThat(log(keyA, "proj-a", run).statusCode()).isEqualTo(200);

    // When it is revoked, calls go on every 100 ms
    stack.revokeApiKey(idOf(keyA));
    long revokedAt = System.nanoTime();
    HttpResponse<String> last = log(keyA, "proj-a", run);
    int acceptedAfter = 0;
    while (last.statusCode() == 200 && millisSince(revokedAt) < 10_000) {
      acceptedAfter++;
      Thread.sleep(100);
      last = log(keyA, "proj-a", run);
    }
    long refusedAfterMs = millisSince(revokedAt);

    // Then
    assertThat(last.statusCode()).as(last.body()).isEqualTo(401);
    assertThat(JSON.readTree(last.body()).get("message").asText()).contains("revoked");
    assertThat(refusedAfterMs).isLessThan(CACHE_TTL.toMillis() + 1_000);
    System.out.printf("[figures] revoked key refused (401) %d ms after the revocation (cache %d ms);"
        + " calls accepted meanwhile: %d%n", refusedAfterMs, CACHE_TTL.toMillis(), acceptedAfter);
  }

  @Test
  @Order(100)
  void shouldNeverWriteAKeyToAnyLog() throws IOException {
    // Given everything the stack printed while the calls above ran, and its log files
    String printed = LOGS.text();
    List<Path> logFiles;
    try (Stream<Path> files = Files.walk(stack.dataDir())) {
      logFiles = files.filter(f -> f.toString().endsWith(".log") && Files.isRegularFile(f)).toList();
    }

    // Then: the capture saw the gateway's lines, yet no key (nor its secret) anywhere
    assertThat(printed).contains("log calls need an API key");
    assertThat(KEYS).hasSizeGreaterThanOrEqualTo(6);
    long bytesChecked = printed.length();
    for (String key : KEYS) {
      String secret = key.substring(20);
      assertThat(printed).doesNotContain(secret);
      for (Path file : logFiles) {
        assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).as(file.toString()).doesNotContain(secret);
      }
    }
    for (Path file : logFiles) {
      bytesChecked += Files.size(file);
    }
    System.out.printf("[figures] %d keys, none in %d captured log characters and %d log files (%d bytes in all)%n",
        KEYS.size(), printed.length(), logFiles.size(), bytesChecked);
  }

  private static String key(String project, String scope) {
    String key = stack.createApiKey(project, scope, "ApiKeysIT");
    KEYS.add(key);
    return key;
  }

  private static String idOf(String key) {
    return ApiKeyToken.parse(key).orElseThrow().id();
  }

  private static String run(String what) {
    return what + "-" + UUID.randomUUID();
  }

  /** A one-image log call, with {@code Authorization: Bearer key} unless key is null. */
  private static HttpResponse<String> log(String key, String project, String run) throws Exception {
    LogCallRequest request = new LogCallRequest("{\"step\": 1, \"data\": {\"img\": {\"_type\": \"image\", \"array\": \"a\"}}}");
    request.part("a", "a.npy", "application/octet-stream", NpyWriter.write("uint8", new long[] {4, 4}, new byte[16]));
    HttpRequest.Builder builder = HttpRequest.newBuilder(request.build(stack.gatewayUrl(), project, run), (n, v) -> true)
        .timeout(Duration.ofSeconds(60));
    if (key != null) {
      builder.header("Authorization", "Bearer " + key);
    }
    return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Waits for the rows of a run; returns how long it took. */
  private static long awaitRows(String project, String run, int expected) throws InterruptedException {
    long begin = System.nanoTime();
    while (inspector.rows(project, run) < expected && millisSince(begin) < 60_000) {
      Thread.sleep(100);
    }
    assertThat(inspector.rows(project, run)).as("rows of %s/%s", project, run).isEqualTo(expected);
    return millisSince(begin);
  }

  private static void assertNothingStored(String project, String run) {
    assertThat(inspector.rows(project, run)).as("rows of the refused run").isZero();
    assertThat(inspector.committedItems(stack.topics().raw().name(), project, run)).as("raw records").isEmpty();
  }

  private static long millisSince(long beginNanos) {
    return (System.nanoTime() - beginNanos) / 1_000_000;
  }

  /** Tees System.out and System.err (where slf4j-simple writes, looked up on every line) into memory. */
  private static final class LogCapture {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream out;
    private PrintStream err;

    void install() {
      out = System.out;
      err = System.err;
      System.setOut(new PrintStream(new Tee(out), true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(new Tee(err), true, StandardCharsets.UTF_8));
    }

    void uninstall() {
      System.setOut(out);
      System.setErr(err);
    }

    String text() {
      synchronized (captured) {
        return captured.toString(StandardCharsets.UTF_8);
      }
    }

    private final class Tee extends OutputStream {
      private final OutputStream original;

      Tee(OutputStream original) {
        this.original = original;
      }

      @Override
      public void write(int b) throws IOException {
        original.write(b);
        synchronized (captured) {
          captured.write(b);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        original.write(b, off, len);
        synchronized (captured) {
          captured.write(b, off, len);
        }
      }

      @Override
      public void flush() throws IOException {
        original.flush();
      }
    }
  }
}
