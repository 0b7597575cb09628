package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediaflow.ingest.client.LogCallRequest;
import dev.mediaflow.ingest.npy.NpyWriter;
import dev.mediaflow.schemas.deadletter.DeadLetters;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, class 3 (and the ingest half of 7) on the real stack: each hostile item of a call gets
 * its own reason and an ingest dead letter holding what was received, its good neighbour is
 * stored, and the gateway keeps answering and storing afterwards, also while six clients send a
 * request that used to make it allocate ~1.2 GB.
 */
class HostileItemsIT extends PipelineTestBase {
  private static final String GOOD = "{\"_type\": \"image\", \"array\": \"good\"}";

  @TempDir
  static Path dataDir;

  @BeforeAll
  static void start() {
    startStack(dataDir, null);
  }

  @Test
  void shouldRejectEachHostileItemWithItsReasonAndStoreItsNeighbours() throws Exception {
    // Given one call: each hostile item sits at index 0 of its key, a good image at index 1
    String run = "hostile-" + UUID.randomUUID();
    Map<String, String> hostile = new LinkedHashMap<>();
    hostile.put("npy-overflow", "{\"_type\": \"image\", \"array\": \"overflow\"}");
    hostile.put("npy-overflow-to-zero", "{\"_type\": \"image\", \"array\": \"tozero\"}");
    hostile.put("npy-2pow63", "{\"_type\": \"image\", \"array\": \"big\"}");
    hostile.put("npy-non-numeric", "{\"_type\": \"image\", \"array\": \"nan\"}");
    hostile.put("inline-huge", "{\"_type\": \"audio\", \"sample_rate\": 8000, \"samples\": " + lyingNest(3, 530) + "}");
    hostile.put("inline-ragged", "{\"_type\": \"audio\", \"sample_rate\": 8000, \"samples\": [[1, 2], [3]]}");
    StringBuilder data = new StringBuilder("{\"lr\": [0.1, 0.2], \"metrics\": {\"a\": 1, \"b\": [2, 3]}");
    hostile.forEach((key, item) -> data.append(", \"").append(key).append("\": [").append(item).append(", ")
        .append(GOOD).append("]"));
    String log = "{\"step\": 5, \"data\": " + data + "}}";
    Map<String, byte[]> parts = new HashMap<>();
    parts.put("good", goodImage());
    parts.put("overflow", npyHeaderOnly("|u1", "(4294967296, 4294967296, 3)"));
    parts.put("tozero", npyHeaderOnly("<f8", "(2305843009213693952,)"));
    parts.put("big", npyHeaderOnly("|u1", "(9223372036854775808, 3)"));
    parts.put("nan", npyHeaderOnly("|u1", "(nan, 3)"));

    // When
    long started = System.nanoTime();
    HttpResponse<String> response = send(request(log, parts), run);
    long millis = (System.nanoTime() - started) / 1_000_000;

    // Then (a) 200, and each hostile item is rejected with its identity and reason
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("accepted").asInt()).isEqualTo(hostile.size());
    Map<String, String> reasons = new HashMap<>();
    for (JsonNode r : body.get("rejected")) {
      assertThat(r.get("run").asText()).isEqualTo(run);
      assertThat(r.get("step").asLong()).isEqualTo(5);
      assertThat(r.get("index").asInt()).isZero();
      reasons.put(r.get("key").asText(), r.get("reason").asText());
    }
    assertThat(reasons).containsOnlyKeys(hostile.keySet());
    assertThat(reasons.get("npy-overflow")).contains("(4294967296, 4294967296, 3) is too large");
    assertThat(reasons.get("npy-overflow-to-zero")).contains("overflows a 64-bit size");
    assertThat(reasons.get("npy-2pow63")).contains("above 2^63 - 1");
    assertThat(reasons.get("npy-non-numeric")).contains("not a non-negative integer: nan");
    assertThat(reasons.get("inline-huge")).contains("inline array of shape [530, 530, 530]", "1000000 elements");
    assertThat(reasons.get("inline-ragged")).contains("ragged list");

    // (b) every good neighbour is stored; the plain lists/dicts are neither items nor letters
    awaitRows(run, hostile.size());
    for (String key : hostile.keySet()) {
      assertThat(row(run, key, 5, 1).get("media_type")).isEqualTo("image");
    }

    // (ingest half of class 7) each letter holds the item as received, with its parts, and re-posts as itself
    List<ConsumerRecord<byte[], byte[]>> letters = ingestLetters(run);
    assertThat(letters).hasSize(hostile.size());
    for (ConsumerRecord<byte[], byte[]> letter : letters) {
      String key = DeadLetters.header(letter.headers(), DeadLetters.KEY);
      assertThat(DeadLetters.header(letter.headers(), DeadLetters.PROJECT)).isEqualTo("it");
      assertThat(DeadLetters.header(letter.headers(), DeadLetters.STEP)).isEqualTo("5");
      assertThat(DeadLetters.header(letter.headers(), DeadLetters.INDEX)).isEqualTo("0");
      assertThat(new String(letter.value(), StandardCharsets.ISO_8859_1)).contains(hostile.get(key));
    }
    ConsumerRecord<byte[], byte[]> overflow = letters.stream()
        .filter(l -> "npy-overflow".equals(DeadLetters.header(l.headers(), DeadLetters.KEY))).findFirst().orElseThrow();
    assertThat(indexOf(overflow.value(), parts.get("overflow"))).as("the part's bytes").isNotNegative();
    JsonNode again = JSON.readTree(repost(overflow, run).body());
    assertThat(again.at("/rejected/0/key").asText()).isEqualTo("npy-overflow");
    assertThat(again.at("/rejected/0/reason").asText()).isEqualTo(reasons.get("npy-overflow"));

    // (c) a normal call afterwards is stored
    String after = "after-" + UUID.randomUUID();
    post(after, (ObjectNode) JSON.readTree("{\"step\": 0, \"data\": {\"img\": " + GOOD + "}}"), Map.of("good", goodImage()));
    awaitRows(after, 1);
    System.out.printf(Locale.ROOT, "[figures] hostile items: %d hostile + %d good in one call answered 200 in %d ms;"
        + " %d rejected with reasons, %d ingest dead letters (item as received + parts), %d neighbours stored,"
        + " normal call afterwards stored%n", hostile.size(), hostile.size(), millis, reasons.size(), letters.size(),
        inspector.rows("it", run));
  }

  @Test
  void shouldRefuseDuplicatePartNamesAndKeepServing() throws Exception {
    // Given a call with two parts named "good", and one with two "log" parts
    String run = "dup-" + UUID.randomUUID();
    String log = "{\"step\": 0, \"data\": {\"img\": " + GOOD + "}}";
    LogCallRequest twoGood = new LogCallRequest(log).part("good", "good.npy", "application/octet-stream", goodImage())
        .part("good", "good.npy", "application/octet-stream", goodImage());
    LogCallRequest twoLogs = new LogCallRequest(log).part("log", "log.json", "application/json",
        log.getBytes(StandardCharsets.UTF_8)).part("good", "good.npy", "application/octet-stream", goodImage());

    // When
    HttpResponse<String> dupPart = send(twoGood, run);
    HttpResponse<String> dupLog = send(twoLogs, run);
    String badPath = rawStatusLine("/v1/projects/%zz/runs/" + run + "/log", twoGood); // java.net.URI refuses it

    // Then both are refused as a whole, saying why, and nothing of them is stored
    assertThat(dupPart.statusCode()).isEqualTo(400);
    assertThat(dupPart.body()).contains("two parts named \\\"good\\\"");
    assertThat(dupLog.statusCode()).isEqualTo(400);
    assertThat(dupLog.body()).contains("two parts named \\\"log\\\"");
    assertThat(badPath).as("a path that does not decode is answered, not dropped").startsWith("HTTP/1.1 400");
    String after = "after-dup-" + UUID.randomUUID();
    post(after, (ObjectNode) JSON.readTree(log), Map.of("good", goodImage()));
    awaitRows(after, 1);
    assertThat(inspector.rows("it", run)).isZero();
    System.out.printf(Locale.ROOT, "[figures] duplicate parts: two \"good\" parts -> %d, two \"log\" parts -> %d,"
        + " 0 rows stored for them, normal call afterwards stored%n", dupPart.statusCode(), dupLog.statusCode());
  }

  @Test
  void shouldKeepServingNormalClientsWhileSixSendTheHugeInlineArrayRequest() throws Exception {
    // Given the request: 6.5 KB whose inline array claims 530^3 elements (~1.2 GB as float64)
    String hostileLog = "{\"step\": 0, \"data\": {\"a\": {\"_type\": \"audio\", \"sample_rate\": 8000, \"samples\": "
        + lyingNest(3, 530) + "}}}";
    LogCallRequest hostile = new LogCallRequest(hostileLog);
    assertThat(hostileLog.length()).isBetween(6_000, 7_000);
    String run = "normal-" + UUID.randomUUID();
    Duration window = Duration.ofSeconds(4);

    // When a normal client logs alone, then next to six hostile clients
    int alone = normalCalls(run + "-alone", window);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger hostileAnswered = new AtomicInteger();
    AtomicInteger hostileOther = new AtomicInteger();
    List<Future<?>> attackers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      attackers.add(pool.submit(() -> {
        HttpClient client = HttpClient.newHttpClient();
        while (!stop.get()) {
          HttpResponse<String> r = client.send(hostile.build(stack.gatewayUrl(), "it", "attack"),
              HttpResponse.BodyHandlers.ofString());
          boolean refused = r.statusCode() == 400 && r.body().contains("elements allowed inline");
          (refused ? hostileAnswered : hostileOther).incrementAndGet();
        }
        return null;
      }));
    }
    int attacked;
    try {
      attacked = normalCalls(run + "-attacked", window);
    } finally {
      stop.set(true);
      for (Future<?> f : attackers) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
    }

    // Then every hostile request got its 400 reason, and normal calls kept succeeding and are stored
    double perSecondAlone = alone / (double) window.toSeconds();
    double perSecondAttacked = attacked / (double) window.toSeconds();
    System.out.printf(Locale.ROOT, "[figures] six clients sending the 6.5 KB huge-inline-array request: normal client"
        + " %.1f calls/s alone, %.1f calls/s under attack (%d hostile requests answered 400 with the reason, %d other)%n",
        perSecondAlone, perSecondAttacked, hostileAnswered.get(), hostileOther.get());
    assertThat(hostileOther.get()).isZero();
    assertThat(hostileAnswered.get()).isPositive();
    assertThat(attacked).as("normal calls under attack").isPositive();
    awaitRows(run + "-attacked", attacked);
  }

  /** Logs one small image per call for the window; every call must be answered 200. Returns the calls made. */
  private static int normalCalls(String run, Duration window) throws Exception {
    long end = System.nanoTime() + window.toNanos();
    int calls = 0;
    while (System.nanoTime() < end) {
      ObjectNode log = (ObjectNode) JSON.readTree("{\"step\": " + calls + ", \"data\": {\"img\": " + GOOD + "}}");
      post(run, log, Map.of("good", goodImage()));
      calls++;
    }
    return calls;
  }

  private static LogCallRequest request(String log, Map<String, byte[]> parts) {
    LogCallRequest request = new LogCallRequest(log);
    parts.forEach((name, bytes) -> request.part(name, name + ".npy", "application/octet-stream", bytes));
    return request;
  }

  private static HttpResponse<String> send(LogCallRequest request, String run) throws Exception {
    return HTTP.send(request.build(stack.gatewayUrl(), "it", run), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends the request to a path no URI class would build, over a plain socket; returns the status line. */
  private static String rawStatusLine(String path, LogCallRequest request) throws Exception {
    URI gateway = URI.create(stack.gatewayUrl());
    byte[] body = request.body();
    try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST " + path + " HTTP/1.1\r\nHost: " + gateway.getHost() + "\r\nContent-Type: "
          + request.contentType() + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
      return line == null ? "connection closed without an answer" : line;
    }
  }

  /** Posts a letter's value as it is, with its recorded content type, to its item's run. */
  private static HttpResponse<String> repost(ConsumerRecord<byte[], byte[]> letter, String run) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/v1/projects/it/runs/" + run + "/log"))
        .header("Content-Type", DeadLetters.header(letter.headers(), DeadLetters.CONTENT_TYPE))
        .POST(HttpRequest.BodyPublishers.ofByteArray(letter.value()))
        .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The ingest-stage dead letters of one run, values included. */
  private static List<ConsumerRecord<byte[], byte[]>> ingestLetters(String run) {
    return inspector.deadLetterRecords().stream()
        .filter(r -> run.equals(DeadLetters.header(r.headers(), DeadLetters.RUN))
            && "ingest".equals(DeadLetters.header(r.headers(), DeadLetters.STAGE)))
        .toList();
  }

  private static byte[] goodImage() {
    byte[] pixels = new byte[4 * 4 * 3];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 5);
    }
    return NpyWriter.write("uint8", new long[] {4, 4, 3}, pixels);
  }

  /** A .npy header claiming {@code shape}, followed by no data at all. */
  private static byte[] npyHeaderOnly(String descr, String shape) {
    String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
    out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  /** {@code levels} nested lists of {@code width} elements; only the first element of each holds the next level. */
  private static String lyingNest(int levels, int width) {
    String inner = "0";
    for (int i = 0; i < levels; i++) {
      inner = "[" + inner + ", []".repeat(width - 1) + "]";
    }
    return inner;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
