package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediaflow.ingest.IngestConfig;
import dev.mediaflow.ingest.IngestService;
import dev.mediaflow.ingest.client.LogCallRequest;
import dev.mediaflow.sink.SinkConfig;
import dev.mediaflow.sink.SinkService;
import dev.mediaflow.transform.TransformConfig;
import dev.mediaflow.transform.TransformService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 * so a 20 s outage drives the transform through the same give-up-and-replace-thread path that a
 * 15-minute outage would with the defaults.
 */
class BrokerOutageIT {
  static final String PROJECT = "outage";
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
  static final Duration DOWN_WITHIN = Duration.ofSeconds(10);
  static final Duration OUTAGE = Duration.ofSeconds(20);
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
    transformSettings.put("kafka.task.timeout.ms", "5000");
    transformSettings.put("kafka.producer.max.block.ms", "5000");
    transform = new TransformService(new TransformConfig(transformSettings)).start();
    Map<String, String> ingestSettings = new HashMap<>();
    ingestSettings.put(IngestConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers());
    ingestSettings.put(IngestConfig.SCHEMA_REGISTRY_URL, stack.registryUrl());
    ingestSettings.put(IngestConfig.HTTP_PORT, "0");
    ingestSettings.put(IngestConfig.CALL_TIMEOUT_MS, Long.toString(CALL_TIMEOUT.toMillis()));
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
    // Given a ready pipeline that has stored a first call
    Map<String, String> ready = readinessUrls();
    for (String url : ready.values()) {
      awaitStatus(url, 200, Duration.ofSeconds(60));
    }
    assertThat(call("before", 0).statusCode()).isEqualTo(200);
    awaitRows(Map.of("before", ITEMS_PER_CALL));
    assertThat(inspector.rows(PROJECT, "before")).as("stored before the kill").isEqualTo(ITEMS_PER_CALL);

    // When the broker is killed
    long killedAt = System.nanoTime();
    stack.broker().kill();
    CompletableFuture<Long> callDuringOutage = CompletableFuture.supplyAsync(() -> timed503("during", 1));

    // Then each service's readiness turns DOWN within seconds, liveness stays UP, and a call gets 503 in time
    Map<String, Long> toDown = new LinkedHashMap<>();
    for (Map.Entry<String, String> service : ready.entrySet()) {
      awaitStatus(service.getValue(), 503, DOWN_WITHIN);
      toDown.put(service.getKey(), millisSince(killedAt));
    }
    long inFlight503 = callDuringOutage.join();
    long new503 = timed503("during", 1);
    for (String url : livenessUrls().values()) {
      assertThat(get(url).statusCode()).as(url).isEqualTo(200);
    }
    System.out.printf("[figures] broker kill -9: readiness DOWN after %s ms; 503 after %d ms (call at kill) and %d ms"
        + " (call while DOWN), deadline %d ms; liveness UP%n", toDown, inFlight503, new503, CALL_TIMEOUT.toMillis());
    assertThat(toDown.values()).allMatch(ms -> ms < DOWN_WITHIN.toMillis());
    assertThat(inFlight503).isLessThan(CALL_TIMEOUT.toMillis() + 1500);
    assertThat(new503).isLessThan(CALL_TIMEOUT.toMillis() + 1500);

    // When it stays away long enough for the clients' timeouts to fire, and comes back on the same port and data
    Thread.sleep(Math.max(0, OUTAGE.toMillis() - millisSince(killedAt)));
    assertThat(get(livenessUrls().get("transform")).statusCode()).as("transform live after its timeouts").isEqualTo(200);
    long restartedAt = System.nanoTime();
    stack.broker().restart();
    long brokerUpMs = millisSince(restartedAt);

    // Then every service is ready again, without a restart, and new calls and the retried one are stored once
    Map<String, Long> toReady = new LinkedHashMap<>();
    for (Map.Entry<String, String> service : ready.entrySet()) {
      awaitStatus(service.getValue(), 200, Duration.ofSeconds(90));
      toReady.put(service.getKey(), millisSince(restartedAt));
    }
    assertThat(call("after", 2).statusCode()).isEqualTo(200);
    assertThat(call("during", 1).statusCode()).as("the client's retry of the call answered 503").isEqualTo(200);
    long storedMs = awaitRows(Map.of("before", ITEMS_PER_CALL, "after", ITEMS_PER_CALL, "during", ITEMS_PER_CALL));
    System.out.printf("[figures] broker back: broker serving after %d ms, readiness UP after %s ms, all acknowledged"
        + " items stored after %d ms (from restart); no service restarted%n", brokerUpMs, toReady,
        millisSince(restartedAt));
    assertThat(storedMs).isPositive();
    assertExactlyOnce("before", true);
    assertExactlyOnce("after", true);
    // a call answered 503 may have reached Kafka anyway; its retry then overwrites: one row, one object
    assertExactlyOnce("during", false);
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

  static Map<String, String> readinessUrls() {
    return urls("/health/ready");
  }

  static Map<String, String> livenessUrls() {
    return urls("/health/live");
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

  static void assertExactlyOnce(String run, boolean acknowledged) {
    long rows = inspector.rows(PROJECT, run);
    int objects = inspector.objectKeys("media/" + PROJECT + "/" + run + "/").size();
    Map<String, Integer> processed = inspector.committedItems(stack.topics().processed().name(), PROJECT, run);
    long doubled = processed.values().stream().filter(n -> n > 1).count();
    System.out.printf("[figures] %s: acknowledged %d, rows %d, objects %d, processed %d (more than once %d)%n",
        run, ITEMS_PER_CALL, rows, objects, processed.size(), doubled);
    assertThat(rows).isEqualTo(ITEMS_PER_CALL);
    assertThat(objects).isEqualTo(ITEMS_PER_CALL);
    assertThat(processed).hasSize(ITEMS_PER_CALL);
    if (acknowledged) {
      assertThat(doubled).as("acknowledged items committed more than once to the processed topic").isZero();
    }
  }

  static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}
