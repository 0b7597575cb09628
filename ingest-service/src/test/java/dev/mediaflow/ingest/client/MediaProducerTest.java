package dev.mediaflow.ingest.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.ingest.IngestConfig;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MediaProducerTest {
  private static final Map<String, Object> BOOTSTRAP = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");

  @ParameterizedTest
  @ValueSource(longs = {1_000, 5_000, 30_000, 300_000})
  void shouldEndEverySendWithinTheCallDeadlineWithTimeoutsKafkaAccepts(long deadlineMs) {
    // Given a call deadline
    Map<String, Object> settings = MediaProducer.settings(BOOTSTRAP, Duration.ofMillis(deadlineMs));

    // Then a send fails by the deadline at the latest, blocks at most half of it, and Kafka takes the settings
    assertThat(((Number) settings.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)).longValue()).isEqualTo(deadlineMs);
    assertThat(((Number) settings.get(ProducerConfig.MAX_BLOCK_MS_CONFIG)).longValue()).isEqualTo(deadlineMs / 2);
    int linger = ((Number) settings.get(ProducerConfig.LINGER_MS_CONFIG)).intValue();
    int request = ((Number) settings.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG)).intValue();
    assertThat(linger + request).isLessThanOrEqualTo((int) deadlineMs);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer())) {
      assertThat(producer.metrics()).isNotEmpty();
    }
  }

  @Test
  void shouldLetAnExplicitKafkaSettingWinOverTheDerivedOne() {
    // Given a pass-through delivery timeout
    Map<String, Object> settings = MediaProducer.settings(
        Map.of(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000), Duration.ofSeconds(5));

    // Then it is kept (an operator may accept late deliveries)
    assertThat(settings.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)).isEqualTo(120_000);
  }

  @Test
  void shouldDeclareACallDeadlineOfThirtySecondsByDefaultAndRefuseOneOutOfRange() {
    // Given the required keys only
    Map<String, String> required = Map.of(IngestConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9",
        IngestConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:9");

    // Then the deadline is 30 s, and a deadline of 10 minutes fails at start-up with the key's name
    assertThat(new IngestConfig(required).callTimeout()).isEqualTo(Duration.ofSeconds(30));
    java.util.HashMap<String, String> tooLong = new java.util.HashMap<>(required);
    tooLong.put(IngestConfig.CALL_TIMEOUT_MS, "600000");
    assertThatThrownBy(() -> new IngestConfig(tooLong)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(IngestConfig.CALL_TIMEOUT_MS);
  }
}
