package dev.mediaflow.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.junit.jupiter.api.Test;

class SinkConfigTest {
  private static final Map<String, String> SASL_SSL = Map.of(
      "bootstrap.servers", "broker:9093",
      "schema.registry.url", "http://registry",
      "jdbc.url", "jdbc:sqlite:/tmp/x.db",
      "kafka.security.protocol", "SASL_SSL",
      "kafka.sasl.mechanism", "SCRAM-SHA-512",
      "kafka.ssl.truststore.location", "/etc/kafka/truststore.p12");

  @Test
  void shouldGiveTheDeadLetterProducerTheKafkaPassThrough() {
    // Given a sink configured for a SASL_SSL cluster
    SinkConfig config = new SinkConfig(SASL_SSL);

    // When the dead-letter producer's settings are built (as SinkService builds them)
    Map<String, Object> deadLetters = config.kafka().producer(SinkConfig.DEAD_LETTER_PRODUCER);

    // Then it has the security settings, next to its own idempotent acks=all defaults
    assertThat(deadLetters).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.p12")
        .containsEntry("bootstrap.servers", "broker:9093")
        .containsEntry("enable.idempotence", true)
        .containsEntry("acks", "all");
  }

  @Test
  void shouldGiveTheConsumerThePassThroughAndItsReadCommittedDefaults() {
    Map<String, Object> consumer = new SinkConfig(SASL_SSL).consumer();

    assertThat(consumer).containsEntry("security.protocol", "SASL_SSL").containsEntry("bootstrap.servers", "broker:9093")
        .containsEntry("isolation.level", "read_committed").containsEntry("group.id", "mediaflow-sink");
  }

  @Test
  void shouldRebalanceIncrementallySoAJoiningInstanceDoesNotStopThePartitionsThatStay() {
    assertThat(new SinkConfig(SASL_SSL).consumer())
        .containsEntry("partition.assignment.strategy", CooperativeStickyAssignor.class.getName());

    Map<String, String> newProtocol = new HashMap<>(SASL_SSL);
    newProtocol.put("kafka.group.protocol", "consumer");
    assertThat(new SinkConfig(newProtocol).consumer()).doesNotContainKey("partition.assignment.strategy")
        .containsEntry("group.protocol", "consumer");

    Map<String, String> eager = new HashMap<>(SASL_SSL);
    eager.put("kafka.partition.assignment.strategy", "org.apache.kafka.clients.consumer.RangeAssignor");
    assertThat(new SinkConfig(eager).consumer())
        .containsEntry("partition.assignment.strategy", "org.apache.kafka.clients.consumer.RangeAssignor");
  }

  @Test
  void shouldBindHealthToLoopbackUnlessConfigured() {
    assertThat(new SinkConfig(SASL_SSL).healthEndpoint().host()).isEqualTo("127.0.0.1");
    Map<String, String> everywhere = new HashMap<>(SASL_SSL);
    everywhere.put("health.host", "0.0.0.0");
    assertThat(new SinkConfig(everywhere).healthEndpoint().host()).isEqualTo("0.0.0.0");
  }
}
