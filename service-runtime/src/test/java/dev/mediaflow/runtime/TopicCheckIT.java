package dev.mediaflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.infra.FreePort;
import dev.mediaflow.infra.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up topic check against a real KRaft broker. */
class TopicCheckIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

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
  void shouldNameEveryMissingTopicAndSayToRunInitThenPassOnceTheyExist() throws Exception {
    // Given a cluster holding one of the three topics a service needs
    KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers(), Map.of());
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic("check.raw", 1, (short) 1))).all().get();
      List<String> needed = List.of("check.raw", "check.processed", "check.deadletter");

      // When the service checks at start-up, Then it refuses, naming exactly the missing ones and the remedy
      assertThatThrownBy(() -> TopicCheck.requireTopics("transform", kafka, needed, TIMEOUT))
          .isInstanceOfSatisfying(MissingTopicsException.class, e ->
              assertThat(e.missing()).containsExactly("check.deadletter", "check.processed"))
          .hasMessageContaining("transform cannot start")
          .hasMessageContaining("check.deadletter, check.processed")
          .hasMessageContaining(broker.bootstrapServers())
          .hasMessageContaining("mediaflow init")
          .hasMessageNotContaining("check.raw");

      // and once they are created, the check passes
      admin.createTopics(List.of(new NewTopic("check.processed", 1, (short) 1),
          new NewTopic("check.deadletter", 1, (short) 1))).all().get();
      TopicCheck.requireTopics("transform", kafka, needed, TIMEOUT);
    }
  }

  @Test
  void shouldRefuseWithAClearMessageWhenNoClusterAnswers() {
    // Given bootstrap servers where nothing listens
    KafkaSettings nowhere = KafkaSettings.of("127.0.0.1:" + FreePort.find(), Map.of());

    // When / Then the check gives up after its timeout, saying what it could not do
    long started = System.nanoTime();
    assertThatThrownBy(() -> TopicCheck.requireTopics("sink", nowhere, List.of("t"), Duration.ofSeconds(3)))
        .isInstanceOf(IllegalStateException.class)
        .isNotInstanceOf(MissingTopicsException.class)
        .hasMessageContaining("cannot list the topics of the Kafka cluster at " + nowhere.bootstrapServers());
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
  }
}
