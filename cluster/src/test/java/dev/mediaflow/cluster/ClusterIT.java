package dev.mediaflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediaflow.schemas.topics.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production topology of {@code docker-compose.yml} as separate processes, without Docker:
 * three KRaft brokers (replication 3, min ISR 2), the registry with a persistent store, S3Proxy,
 * PostgreSQL, {@code init}, and 2 ingest + 2 transform + 2 sink instances, each configured only
 * by the environment the compose file gives it. Under load through both gateways it kills -9 the
 * broker leading the most partitions, one transform and one sink instance, restarts them, and
 * counts by identity: no acknowledged item lost, none doubled, each processed exactly once. Then
 * it kills and restarts the registry: every schema id still resolves to the same schema, and the
 * whole processed topic still decodes.
 */
class ClusterIT {
  private static final String PROJECT = "cluster";
  private static final String RUN = "faults";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  /** A container's JAVA_OPTS on a small node; C1 only, as the services start often here. */
  private static final List<String> SERVICE_JVM = List.of("-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
      "-XX:+ExitOnOutOfMemoryError");

  @TempDir
  Path dir;

  @Test
  void shouldLoseAndDoubleNothingWhenTheBusiestBrokerATransformAndASinkAreKilledUnderLoad() throws Exception {
    long begin = System.nanoTime();
    try (ProductionTopology topology = startOrSkip()) {
      long startMillis = millisSince(begin);
      String key = topology.createWriteKey(PROJECT);
      List<String> gateways = topology.instances("ingest").stream().map(ServiceInstance::httpUrl).toList();
      Map<String, Long> times = new LinkedHashMap<>();

      // Given a training run logging through both gateways
      LoadClient load = new LoadClient(PROJECT, RUN, key, 60).start(gateways);
      Thread.sleep(8_000);

      // When the broker leading the most partitions, a transform and a sink die at once (kill -9)
      List<String> topics = List.of(Topics.RAW, Topics.PROCESSED);
      int victim = topology.kafka().leaderOfMostPartitions(topics);
      ServiceInstance transform = topology.instances("transform").get(0);
      ServiceInstance sink = topology.instances("sink").get(0);
      topology.kafka().kill(victim);
      transform.kill();
      sink.kill();
      long killedAt = System.nanoTime();
      Thread.sleep(5_000);
      // and come back: the services first, then the broker (restart waits until it is live again)
      transform.start();
      sink.start();
      topology.kafka().restart(victim);
      times.put("broker restart live after kill", millisSince(killedAt));
      transform.awaitReady(Duration.ofMinutes(2));
      sink.awaitReady(Duration.ofMinutes(2));
      times.put("services ready after kill", millisSince(killedAt));
      Thread.sleep(8_000);
      load.close();
      Set<String> acked = load.acknowledged();
      Tally tally = new Tally(topology, PROJECT, RUN);
      long drainMillis = awaitRows(tally, acked, Duration.ofMinutes(2));
      times.put("all acknowledged rows stored after load stopped", drainMillis);

      // Then every acknowledged item is stored once, and every raw record was processed once
      Counts counts = Counts.of(tally, acked);
      System.out.printf(Locale.ROOT, "[figures] cluster faults: broker %d (most partition leaders), %s and %s killed"
          + " under load; %d calls (%d failed), %s; times %s; started in %d ms%n", victim, transform.name(),
          sink.name(), load.calls(), load.failedCalls(), counts, times, startMillis);
      counts.assertExactlyOnce();

      // And the registry, killed and restarted, still has every schema under the same id
      registryRestartKeepsSchemas(topology, tally, load, gateways);

      // And the query service, started from its compose environment, counts exactly the stored items
      queryCountsTheStoredItems(topology, key, tally, load.acknowledged().size());
      System.out.printf(Locale.ROOT, "[figures] cluster test: whole run %d ms (load average %s)%n", millisSince(begin),
          Files.readString(Path.of("/proc/loadavg")).trim());
    }
  }

  private void queryCountsTheStoredItems(ProductionTopology topology, String key, Tally tally, int acknowledged)
      throws Exception {
    long begin = System.nanoTime();
    ServiceInstance query = topology.startQuery();
    long readyMillis = millisSince(begin);
    HttpResponse<String> run = HTTP.send(HttpRequest.newBuilder(URI.create(query.httpUrl() + "/api/v1/projects/"
        + PROJECT + "/runs/" + RUN)).header("Authorization", "Bearer " + key).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(run.statusCode()).as("the run from the query API: %s", run.body()).isEqualTo(200);
    // {"run": {"items": stepped items, "summary_items": items logged without a step, ...}, ...}
    JsonNode summary = JSON.readTree(run.body()).path("run");
    long items = summary.path("items").asLong(-1) + summary.path("summary_items").asLong(0);
    int stored = tally.rows().values().stream().mapToInt(Integer::intValue).sum();
    System.out.printf(Locale.ROOT, "[figures] cluster query: ready in %d ms; the run's item count from the API %d,"
        + " rows stored %d, items acknowledged %d%n", readyMillis, items, stored, acknowledged);
    assertThat(items).as("items of the run from the query API = rows in the store").isEqualTo(stored)
        .isGreaterThanOrEqualTo(acknowledged);
  }

  private void registryRestartKeepsSchemas(ProductionTopology topology, Tally tally, LoadClient load,
      List<String> gateways) throws Exception {
    Map<Integer, String> before = schemasById(topology.registry().confluentApiUrl());
    assertThat(before).as("schemas registered by init").isNotEmpty();
    long begin = System.nanoTime();
    topology.registry().kill();
    topology.registry().restart();
    long restartMillis = millisSince(begin);
    Map<Integer, String> after = new LinkedHashMap<>();
    for (int id : before.keySet()) {
      after.put(id, schemaById(topology.registry().confluentApiUrl(), id));
    }
    assertThat(after).as("the same schema under every id after a registry kill -9 and restart").isEqualTo(before);
    // new calls still flow end to end, and the whole processed topic decodes through the restarted registry
    int newItems = 0;
    for (int g = 0; g < gateways.size(); g++) {
      newItems += load.logSteps(gateways.get(g), "g" + (g + 1), 100_000, 3);
    }
    Set<String> acked = load.acknowledged();
    awaitRows(tally, acked, Duration.ofMinutes(1));
    Counts counts = Counts.of(tally, acked);
    System.out.printf(Locale.ROOT, "[figures] cluster registry: killed and restarted in %d ms, %d schema ids resolve to"
        + " the same schema; %d items logged after it; %s%n", restartMillis, after.size(), newItems, counts);
    assertThat(newItems).isEqualTo(gateways.size() * 3 * LoadClient.IMAGES_PER_CALL);
    counts.assertExactlyOnce();
  }

  /** What the stores hold for the acknowledged items, by identity. */
  private record Counts(int acknowledged, int lost, int rowsDoubled, int objectsMissing, int objectsDoubled,
      int processedMissing, int processedTwice, int rawRecords, int processedRecords) {

    static Counts of(Tally tally, Set<String> acked) {
      Map<String, Integer> rows = tally.rows();
      Map<String, Integer> objects = tally.objects();
      Map<String, Integer> raw = tally.raw();
      Map<String, Integer> processed = tally.processed();
      Set<String> lost = new HashSet<>(acked);
      lost.removeAll(rows.keySet());
      // exactly once: each raw record is transformed into one processed record, never two
      int processedTwice = (int) raw.entrySet().stream()
          .filter(e -> processed.getOrDefault(e.getKey(), 0) > e.getValue()).count();
      return new Counts(acked.size(), lost.size(), doubled(rows), missing(acked, objects), doubled(objects),
          missing(acked, processed), processedTwice, sum(raw), sum(processed));
    }

    void assertExactlyOnce() {
      assertThat(acknowledged).as("items acknowledged").isPositive();
      assertThat(lost).as("acknowledged items without a row").isZero();
      assertThat(rowsDoubled).as("items with two rows").isZero();
      assertThat(objectsMissing).as("acknowledged items without an object").isZero();
      assertThat(objectsDoubled).as("items with two objects").isZero();
      assertThat(processedMissing).as("acknowledged items never processed").isZero();
      assertThat(processedTwice).as("raw records processed more than once").isZero();
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "acknowledged %d, lost %d, doubled rows %d, objects missing %d, doubled"
          + " objects %d, processed missing %d, processed twice %d (raw records %d, processed records %d)",
          acknowledged, lost, rowsDoubled, objectsMissing, objectsDoubled, processedMissing, processedTwice,
          rawRecords, processedRecords);
    }

    private static int doubled(Map<String, Integer> counts) {
      return (int) counts.values().stream().filter(n -> n > 1).count();
    }

    private static int missing(Set<String> acked, Map<String, Integer> counts) {
      return (int) acked.stream().filter(id -> !counts.containsKey(id)).count();
    }

    private static int sum(Map<String, Integer> counts) {
      return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  private ProductionTopology startOrSkip() throws Exception {
    ComposeFile compose = ComposeFile.read(ComposeFile.locate());
    try {
      return ProductionTopology.start(dir, compose, 2, SERVICE_JVM, line -> System.out.println("[cluster] " + line));
    } catch (SQLException e) {
      System.err.println("SKIPPED: ClusterIT needs PostgreSQL at 127.0.0.1:5432: " + e.getMessage());
      assumeTrue(false, "PostgreSQL at 127.0.0.1:5432 is unreachable: " + e.getMessage());
      throw e;
    }
  }

  /** Waits until every acknowledged identity has its row; returns how long that took. */
  private static long awaitRows(Tally tally, Set<String> acked, Duration timeout) throws InterruptedException {
    long begin = System.nanoTime();
    while (!tally.rows().keySet().containsAll(acked) && System.nanoTime() - begin < timeout.toNanos()) {
      Thread.sleep(500);
    }
    return millisSince(begin);
  }

  private static Map<Integer, String> schemasById(String registryUrl) throws Exception {
    Map<Integer, String> schemas = new LinkedHashMap<>();
    for (JsonNode subject : get(registryUrl + "/subjects")) {
      JsonNode latest = get(registryUrl + "/subjects/" + subject.asText() + "/versions/latest");
      schemas.put(latest.path("id").asInt(), latest.path("schema").asText());
    }
    return schemas;
  }

  private static String schemaById(String registryUrl, int id) throws Exception {
    return get(registryUrl + "/schemas/ids/" + id).path("schema").asText();
  }

  private static JsonNode get(String url) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static long millisSince(long beginNanos) {
    return (System.nanoTime() - beginNanos) / 1_000_000;
  }
}
