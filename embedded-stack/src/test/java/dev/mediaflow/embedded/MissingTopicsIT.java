package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.infra.KafkaBroker;
import dev.mediaflow.ingest.IngestConfig;
import dev.mediaflow.ingest.IngestService;
import dev.mediaflow.runtime.MissingTopicsException;
import dev.mediaflow.sink.SinkConfig;
import dev.mediaflow.sink.SinkService;
import dev.mediaflow.transform.TransformConfig;
import dev.mediaflow.transform.TransformService;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each service refuses to start on a cluster without its topics, naming them and saying to run
 * {@code mediaflow init}, and creates none itself. A real KRaft broker; no registry, S3 or SQL is
 * needed because the check comes before the service touches them.
 */
class MissingTopicsIT {
  private static final String NOWHERE = "http://127.0.0.1:1";

  @TempDir
  static Path dataDir;

  static KafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start(dataDir.resolve("kafka"));
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void shouldRefuseToStartEveryServiceWhenItsTopicsAreMissing() throws Exception {
    // Given a cluster on which nobody ran mediaflow init
    String bootstrap = broker.bootstrapServers();

    // When / Then each service refuses, naming the topics it needs
    assertRefused(() -> new IngestService(new IngestConfig(Map.of(
            IngestConfig.BOOTSTRAP_SERVERS, bootstrap, IngestConfig.SCHEMA_REGISTRY_URL, NOWHERE,
            IngestConfig.HTTP_PORT, "0", IngestConfig.AUTH_ENABLED, "false"))),
        "ingest", List.of("mediaflow.deadletter", "mediaflow.media.raw"));
    assertRefused(() -> new TransformService(new TransformConfig(Map.of(
            TransformConfig.BOOTSTRAP_SERVERS, bootstrap, TransformConfig.SCHEMA_REGISTRY_URL, NOWHERE,
            TransformConfig.STATE_DIR, dataDir.resolve("transform").toString(), TransformConfig.HEALTH_PORT, "0"))),
        "transform", List.of("mediaflow.deadletter", "mediaflow.media.processed", "mediaflow.media.raw"));
    assertRefused(() -> new SinkService(new SinkConfig(Map.of(
            SinkConfig.BOOTSTRAP_SERVERS, bootstrap, SinkConfig.SCHEMA_REGISTRY_URL, NOWHERE,
            SinkConfig.JDBC_URL, "jdbc:sqlite:" + dataDir.resolve("sink.db"), SinkConfig.S3_ENDPOINT, NOWHERE,
            SinkConfig.HEALTH_PORT, "0"))),
        "sink", List.of("mediaflow.deadletter", "mediaflow.media.processed"));

    // and none of them created a topic
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Set<String> topics = admin.listTopics().names().get();
      assertThat(topics).noneMatch(name -> name.startsWith("mediaflow."));
    }
  }

  private static void assertRefused(ThrowingStart start, String service, List<String> missing) {
    assertThatThrownBy(start::run)
        .isInstanceOfSatisfying(MissingTopicsException.class, e -> assertThat(e.missing()).isEqualTo(missing))
        .hasMessageStartingWith(service + " cannot start: topics " + String.join(", ", missing))
        .hasMessageContaining("Create them with `mediaflow init`");
  }

  @FunctionalInterface
  private interface ThrowingStart {
    AutoCloseable run() throws Exception;
  }
}
