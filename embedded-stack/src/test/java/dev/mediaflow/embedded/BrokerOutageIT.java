package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediaflow.ingest.IngestConfig;
import dev.mediaflow.ingest.IngestService;
import dev.mediaflow.ingest.client.LogCallRequest;
import dev.mediaflow.schemas.topics.ItemKeys;
import dev.mediaflow.sink.SinkConfig;
import dev.mediaflow.sink.SinkService;
import dev.mediaflow.transform.TransformConfig;
import dev.mediaflow.transform.TransformService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the broker (kill -9) under the running pipeline and brings it back on the same port and
 * data, without restarting any service: readiness must turn DOWN within seconds while liveness
 * stays UP, a call made meanwhile must get its 503 inside the call deadline, and after the broker
 * returns readiness must turn UP again and every acknowledged item be stored exactly once.
 *
 * <p>The services run in this JVM, started by the test with short timeouts: a 5 s call deadline
 * for the gateway, and for Kafka Streams a 5 s {@code task.timeout.ms} and {@code max.block.ms},
 * so a 20 s outage outlasts the transform's timeouts as a long outage would with the defaults
 * ({@code -Dbroker.outage.seconds=330} runs with the defaults and outlasts them).
 */
class BrokerOutageIT {
  static final String PROJECT = "outage";
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
  static final Duration DOWN_WITHIN = Duration.ofSeconds(10);
  /** {@code -Dbroker.outage.seconds=330} keeps Kafka Streams' default timeouts and outlasts them (a soak run). */
  static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("broker.outage.seconds", 20));
  static final boolean STREAMS_DEFAULTS = OUTAGE.toMinutes() >= 5;
  static final int ITEMS_PER_CALL = 4;
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir
  static Path dataDir;

  static EmbeddedStack stack;
  static StackInspector inspector;
  static SinkService sink;
  static TransformService transform;
  static IngestService gateway;

  @BeforeAll
  static void start() throws Exception {
    stack = EmbeddedStack.start(dataDir, null, line -> System.out.println("[stack] " + line));
    inspector = new StackInspector(stack);
    // our own instances, so the test holds their health ports and sets their timeouts
    stack.stopServicesGracefully();
    sink = new SinkService(new SinkConfig(stack.sinkSettings())).start();
    Map<String, String> transformSettings = new HashMap<>(stack.transformSettings());
    if (!STREAMS_DEFAULTS) {
      transformSettings.put("kafka.task.timeout.ms", "5000");
      transformSettings.put("kafka.producer.max.block.ms", "5000");
    }
    transform = new TransformService(new TransformConfig(transformSettings)).start();
    Map<String, String> ingestSettings = new HashMap<>();
    ingestSettings.put(IngestConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers());
    ingestSettings.put(IngestConfig.SCHEMA_REGISTRY_URL, stack.registryUrl());
    ingestSettings.put(IngestConfig.HTTP_PORT, "0");
    ingestSettings.put(IngestConfig.CALL_TIMEOUT_MS, Long.toString(CALL_TIMEOUT.toMillis()));
    ingestSettings.put(IngestConfig.AUTH_ENABLED, "false"); // keys are not what this test is about
    gateway = new IngestService(new IngestConfig(ingestSettings)).start();
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {gateway, transform, sink, inspector, stack}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        System.out.println("while stopping " + c + ": " + e);
      }
    }
  }

  @Test
  void shouldTurnUnreadyAnswer503InsideTheDeadlineAndRecoverEveryAcknowledgedItemWithoutARestart() throws Exception {
    // Given a ready pipeline that has stored a first call, and a client logging a call every 100 ms
    awaitReady(Duration.ofSeconds(60));
    assertThat(call("before", 0).statusCode()).isEqualTo(200);
    awaitRows(Map.of("before", ITEMS_PER_CALL));
    assertThat(inspector.rows(PROJECT, "before")).as("stored before the kill").isEqualTo(ITEMS_PER_CALL);
    SteadyClient client = new SteadyClient("flow");
    Thread.sleep(1000);

    // When the broker is killed
    long killedAt = System.nanoTime();
    stack.broker().kill();

    // Then each service's readiness turns DOWN within seconds, liveness stays UP, and a call gets 503 in time
    Map<String, Long> toDown = awaitAll(urls("/health/ready"), 503, DOWN_WITHIN, killedAt);
    long new503 = timed503("during", 1);
    for (String url : urls("/health/live").values()) {
      assertThat(get(url).statusCode()).as(url).isEqualTo(200);
    }
    System.out.printf("[figures] broker kill -9: readiness DOWN after %s ms; a call while DOWN answered 503 after"
        + " %d ms (deadline %d ms); liveness UP%n", toDown, new503, CALL_TIMEOUT.toMillis());
    assertThat(toDown.values()).allMatch(ms -> ms < DOWN_WITHIN.toMillis());
    assertThat(new503).isLessThan(CALL_TIMEOUT.toMillis() + 1000);

    // When it stays away long enough for the clients' timeouts to fire, and comes back on the same port and data
    Thread.sleep(Math.max(0, OUTAGE.toMillis() - millisSince(killedAt)));
    assertThat(get(urls("/health/live").get("transform")).statusCode()).as("transform live").isEqualTo(200);
    long restartedAt = System.nanoTime();
    stack.broker().restart();
    long brokerUpMs = millisSince(restartedAt);

    // Then every service is ready again, without a restart; new calls, the steady client and retried calls are stored
    Map<String, Long> toReady = awaitAll(urls("/health/ready"), 200, Duration.ofSeconds(120), restartedAt);
    assertThat(call("after", 2).statusCode()).isEqualTo(200);
    client.stopAndRetryRefused();
    assertThat(call("during", 1).statusCode()).as("the client's retry of the call answered 503").isEqualTo(200);
    awaitRows(Map.of("after", ITEMS_PER_CALL, "during", ITEMS_PER_CALL, "flow", client.calls() * ITEMS_PER_CALL));
    System.out.printf("[figures] broker back: serving after %d ms, readiness UP after %s ms, all items stored after"
        + " %d ms (from restart); steady client: %d calls, %d answered 200 at once, %d answered 503 (max %d ms) and"
        + " retried; no service restarted%n", brokerUpMs, toReady, millisSince(restartedAt), client.calls(),
        client.calls() - client.refused(), client.refused(), client.slowest503());
    assertThat(client.slowest503()).isLessThan(CALL_TIMEOUT.toMillis() + 1000);
    assertExactlyOnce("before", ITEMS_PER_CALL, true);
    assertExactlyOnce("after", ITEMS_PER_CALL, true);
    // a call answered 503 may have reached Kafka anyway; its retry then overwrites: one row, one object
    assertExactlyOnce("during", ITEMS_PER_CALL, false);
    assertExactlyOnce("flow", client.calls() * ITEMS_PER_CALL, client.refused() == 0);
    assertThat(processedMoreThanOnce("flow", client.acknowledgedAtOnce()))
        .as("items acknowledged at once, committed more than once to the processed topic").isZero();
    assertThat(awaitSinkCommittedToTheEnd(Duration.ofSeconds(30))).as("sink offsets behind the topic's end").isZero();
  }

  @Test
  void shouldAnswer503InsideTheDeadlineWhenTheBrokerHangsAndStoreTheRetryOnceItResumes() throws Exception {
    // Given a ready pipeline whose gateway has sent before (its producer knows the topic's leaders)
    awaitReady(Duration.ofSeconds(90));
    assertThat(call("hung-before", 0).statusCode()).isEqualTo(200);
    long pid = brokerPid();

    // When the broker hangs (SIGSTOP: connections stay open, nothing is answered) while a call is made
    long frozenAt = System.nanoTime();
    signal("STOP", pid);
    try {
      CompletableFuture<Long> inFlight = CompletableFuture.supplyAsync(() -> timed503("hung", 0));
      Map<String, Long> toDown = awaitAll(urls("/health/ready"), 503, DOWN_WITHIN, frozenAt);
      long hung503 = inFlight.join();
      for (String url : urls("/health/live").values()) {
        assertThat(get(url).statusCode()).as(url).isEqualTo(200);
      }

      // Then the call in flight is answered 503 inside its deadline and readiness is DOWN
      System.out.printf("[figures] broker hung (SIGSTOP): call in flight answered 503 after %d ms (deadline %d ms);"
          + " readiness DOWN after %s ms; liveness UP%n", hung503, CALL_TIMEOUT.toMillis(), toDown);
      assertThat(hung503).isLessThan(CALL_TIMEOUT.toMillis() + 1000);
      assertThat(toDown.values()).allMatch(ms -> ms < DOWN_WITHIN.toMillis());
    } finally {
      signal("CONT", pid);
    }

    // And once it resumes, readiness is UP again and the client's retry is stored once
    long resumedAt = System.nanoTime();
    Map<String, Long> toReady = awaitAll(urls("/health/ready"), 200, Duration.ofSeconds(90), resumedAt);
    assertThat(call("hung", 0).statusCode()).isEqualTo(200);
    awaitRows(Map.of("hung", ITEMS_PER_CALL));
    System.out.printf("[figures] broker resumed (SIGCONT): readiness UP after %s ms, retried call stored after %d ms%n",
        toReady, millisSince(resumedAt));
    assertExactlyOnce("hung", ITEMS_PER_CALL, false);
  }

  @Test
  void shouldReportTheSinkUnreadyWhileItWaitsForS3AndReadyOnceItsWritesSucceed() throws Exception {
    // Given a ready pipeline and S3 down
    awaitReady(Duration.ofSeconds(90));
    stack.s3().stop();
    long stoppedAt = System.nanoTime();
    try {
      // When a call arrives (Kafka takes it) and the sink cannot write it
      assertThat(call("s3-down", 0).statusCode()).isEqualTo(200);

      // Then the sink's readiness says it waits for the store, and the others stay ready and every service live
      awaitStatus(urls("/health/ready").get("sink"), 503, Duration.ofSeconds(30));
      long toDown = millisSince(stoppedAt);
      assertThat(get(urls("/health/ready").get("sink")).body()).contains("waiting for the object or metadata store");
      assertThat(get(urls("/health/ready").get("gateway")).statusCode()).isEqualTo(200);
      assertThat(get(urls("/health/ready").get("transform")).statusCode()).isEqualTo(200);
      for (String url : urls("/health/live").values()) {
        assertThat(get(url).statusCode()).as(url).isEqualTo(200);
      }
      System.out.printf("[figures] S3 down: sink readiness DOWN (store waiting) %d ms after the stop; gateway and"
          + " transform ready; all live%n", toDown);
    } finally {
      stack.s3().restart();
    }

    // And once S3 is back the item is stored and the sink is ready again
    long restartedAt = System.nanoTime();
    awaitRows(Map.of("s3-down", ITEMS_PER_CALL));
    awaitStatus(urls("/health/ready").get("sink"), 200, Duration.ofSeconds(30));
    System.out.printf("[figures] S3 back: stored and sink ready after %d ms%n", millisSince(restartedAt));
    assertExactlyOnce("s3-down", ITEMS_PER_CALL, true);
  }

  /** A training client: one call every 100 ms until stopped; calls answered 503 are retried after the outage. */
  static final class SteadyClient {
    private final String run;
    private final List<Integer> refusedSteps = new CopyOnWriteArrayList<>();
    private final List<Integer> acknowledgedSteps = new CopyOnWriteArrayList<>();
    private final AtomicLong slowest503 = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CompletableFuture<Integer> calls;

    SteadyClient(String run) {
      this.run = run;
      this.calls = CompletableFuture.supplyAsync(this::loop);
    }

    private int loop() {
      int step = 0;
      while (running.get()) {
        long begin = System.nanoTime();
        HttpResponse<String> response = call(run, step);
        if (response.statusCode() == 200) {
          acknowledgedSteps.add(step);
        } else {
          assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
          refusedSteps.add(step);
          slowest503.accumulateAndGet(millisSince(begin), Math::max);
        }
        step++;
        sleep(100);
      }
      return step;
    }

    void stopAndRetryRefused() {
      running.set(false);
      calls.join();
      for (int step : refusedSteps) {
        assertThat(call(run, step).statusCode()).as("retry of step " + step).isEqualTo(200);
      }
    }

    int calls() {
      return calls.join();
    }

    int refused() {
      return refusedSteps.size();
    }

    long slowest503() {
      return slowest503.get();
    }

    List<Integer> acknowledgedAtOnce() {
      return acknowledgedSteps;
    }
  }

  /** One call of {@link #ITEMS_PER_CALL} HTML pages at {@code step}. */
  static HttpResponse<String> call(String run, int step) {
    StringBuilder items = new StringBuilder();
    for (int i = 0; i < ITEMS_PER_CALL; i++) {
      items.append(i == 0 ? "" : ",").append("{\"_type\": \"html\", \"html\": \"<p>").append(run).append(' ')
          .append(step).append(' ').append(i).append("</p>\"}");
    }
    String log = "{\"step\": " + step + ", \"data\": {\"page\": [" + items + "]}}";
    HttpRequest request = new LogCallRequest(log).build("http://127.0.0.1:" + gateway.httpPort(), PROJECT, run);
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException("call failed: " + e, e);
    }
  }

  /** Makes a call that must be refused with 503 and a JSON reason; returns how long the answer took. */
  static long timed503(String run, int step) {
    long begin = System.nanoTime();
    HttpResponse<String> response = call(run, step);
    long ms = millisSince(begin);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
    try {
      JsonNode body = JSON.readTree(response.body());
      assertThat(body.get("error").asText()).contains("Kafka unavailable");
      assertThat(body.get("rejected")).hasSize(ITEMS_PER_CALL);
      assertThat(body.get("rejected").get(0).get("reason").asText()).startsWith("not stored: ");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return ms;
  }

  static void awaitReady(Duration within) throws Exception {
    awaitAll(urls("/health/ready"), 200, within, System.nanoTime());
  }

  /** Waits for every service to answer {@code status}; returns, per service, the ms from {@code sinceNanos}. */
  static Map<String, Long> awaitAll(Map<String, String> urls, int status, Duration within, long sinceNanos)
      throws Exception {
    Map<String, Long> elapsed = new LinkedHashMap<>();
    for (Map.Entry<String, String> service : urls.entrySet()) {
      awaitStatus(service.getValue(), status, within.minusMillis(millisSince(sinceNanos)));
      elapsed.put(service.getKey(), millisSince(sinceNanos));
    }
    return elapsed;
  }

  static long brokerPid() throws java.io.IOException {
    String pidFile = Files.readString(stack.broker().dataDir().resolve("broker.pid"), StandardCharsets.UTF_8);
    return Long.parseLong(pidFile.trim().split("\\s+")[0]);
  }

  static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor()).as("kill -" + signal + " " + pid).isZero();
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Map<String, String> urls(String path) {
    Map<String, String> urls = new LinkedHashMap<>();
    urls.put("gateway", "http://127.0.0.1:" + gateway.httpPort() + path);
    urls.put("transform", "http://127.0.0.1:" + transform.healthPort() + path);
    urls.put("sink", "http://127.0.0.1:" + sink.healthPort() + path);
    return urls;
  }

  static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static void awaitStatus(String url, int status, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    HttpResponse<String> last = get(url);
    while (last.statusCode() != status && System.nanoTime() < deadline) {
      Thread.sleep(100);
      last = get(url);
    }
    assertThat(last.statusCode()).as(url + " within " + within + ": " + last.body()).isEqualTo(status);
  }

  static long awaitRows(Map<String, Integer> expected) throws InterruptedException {
    long begin = System.nanoTime();
    long deadline = begin + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline
        && expected.entrySet().stream().anyMatch(e -> inspector.rows(PROJECT, e.getKey()) < e.getValue())) {
      Thread.sleep(250);
    }
    return Math.max(1, millisSince(begin));
  }

  static void assertExactlyOnce(String run, int expected, boolean noneRetried) {
    long rows = inspector.rows(PROJECT, run);
    int objects = inspector.objectKeys("media/" + PROJECT + "/" + run + "/").size();
    Map<String, Integer> processed = inspector.committedItems(stack.topics().processed().name(), PROJECT, run);
    long doubled = processed.values().stream().filter(n -> n > 1).count();
    System.out.printf("[figures] %s: items %d, rows %d, objects %d, processed %d (more than once %d)%n",
        run, expected, rows, objects, processed.size(), doubled);
    assertThat(rows).isEqualTo(expected);
    assertThat(objects).isEqualTo(expected);
    assertThat(processed).hasSize(expected);
    if (noneRetried) {
      assertThat(doubled).as("acknowledged items committed more than once to the processed topic").isZero();
    }
  }

  /** Items of the given steps of {@code run} that the processed topic holds more than once. */
  static long processedMoreThanOnce(String run, List<Integer> steps) {
    Map<String, Integer> processed = inspector.committedItems(stack.topics().processed().name(), PROJECT, run);
    Set<String> keys = new HashSet<>();
    for (int step : steps) {
      for (int index = 0; index < ITEMS_PER_CALL; index++) {
        keys.add(ItemKeys.of(PROJECT, run, "page", step, index));
      }
    }
    return processed.entrySet().stream().filter(e -> e.getValue() > 1 && keys.contains(e.getKey())).count();
  }

  /**
   * Waits until the sink's group has committed every processed record: per partition, the
   * committed offset reaches the end offset less at most the last transaction's commit marker.
   * Returns the records still uncommitted then.
   */
  static long awaitSinkCommittedToTheEnd(Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    String topic = stack.topics().processed().name();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
      long behind;
      do {
        Thread.sleep(250);
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets("mediaflow-sink").partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < EmbeddedStack.PARTITIONS; p++) {
          latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        behind = 0;
        for (var end : admin.listOffsets(latest).all().get().entrySet()) {
          OffsetAndMetadata done = committed.get(end.getKey());
          behind += Math.max(0, end.getValue().offset() - 1 - (done == null ? 0 : done.offset()));
        }
      } while (behind > 0 && System.nanoTime() < deadline);
      System.out.printf("[figures] sink group after recovery: %d processed records not committed%n", behind);
      return behind;
    }
  }

  static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}
