package dev.mediaflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {
  private static final String SECRET = "s3cr3t-value-never-logged";
  private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
      + " username=\"svc\" password=\"" + SECRET + "\";";

  /** A service's settings as read from its namespace: SASL through the pass-through, plus unrelated keys. */
  private static final Map<String, String> SERVICE_SETTINGS = Map.of(
      "bootstrap.servers", "ignored-here:9092",
      "health.port", "0",
      "kafka.security.protocol", "SASL_PLAINTEXT",
      "kafka.sasl.mechanism", "PLAIN",
      "kafka.sasl.jaas.config", JAAS,
      "kafka.ssl.truststore.password", SECRET);

  private final KafkaSettings kafka = KafkaSettings.of("127.0.0.1:1", SERVICE_SETTINGS);

  @Test
  void shouldApplyThePassThroughOnTopOfEveryClientRolesDefaults() {
    // Given a role default the operator overrides under kafka.
    Map<String, Object> defaults = Map.of("acks", "all", "security.protocol", "PLAINTEXT");

    // When the settings of every kind of client are built
    Properties streams = kafka.streams(defaults);
    List<Map<?, ?>> all = List.of(kafka.producer(defaults), kafka.consumer(defaults), kafka.admin(defaults), streams);

    // Then each has the pass-through (winning over the default), the bootstrap servers, and the role's defaults
    for (Map<?, ?> settings : all) {
      assertThat(settings.get("security.protocol")).isEqualTo("SASL_PLAINTEXT");
      assertThat(settings.get("sasl.mechanism")).isEqualTo("PLAIN");
      assertThat(settings.get("sasl.jaas.config")).isEqualTo(JAAS);
      assertThat(settings.get("bootstrap.servers")).isEqualTo("127.0.0.1:1");
      assertThat(settings.get("acks")).isEqualTo("all");
      assertThat(settings.containsKey("health.port")).as("only kafka.* passes through").isFalse();
    }
  }

  @Test
  void shouldNeverPrintSecretsInDescriptions() {
    assertThat(kafka.toString()).doesNotContain(SECRET).contains("sasl.jaas.config=[hidden]")
        .contains("ssl.truststore.password=[hidden]").contains("security.protocol=SASL_PLAINTEXT");
    assertThat(SecretMask.describe(Map.of("my.plugin.secret", SECRET, "ssl.keystore.key", SECRET)))
        .doesNotContain(SECRET);
  }

  @Test
  void shouldBuildEveryClientWithThePassThroughAndMetricsAndLogNoSecret() throws Exception {
    // Given the factory of a service whose Kafka settings hold a password
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
    try (Metrics metrics = new Metrics()) {
      KafkaClients clients = new KafkaClients(kafka, metrics);

      // When it builds a producer, a consumer and an admin client (no broker needed to build them)
      try (KafkaProducer<byte[], byte[]> producer = clients.producer("dead-letters", Map.of("acks", "all"),
              new ByteArraySerializer(), new ByteArraySerializer());
          KafkaConsumer<byte[], byte[]> consumer = clients.consumer("items", Map.of("group.id", "g"),
              new ByteArrayDeserializer(), new ByteArrayDeserializer());
          Admin admin = clients.admin("probe", Map.of())) {

        // Then every client's metrics are in the registry
        String scrape = metrics.scrape();
        assertThat(scrape).contains("kafka_producer_").contains("kafka_consumer_").contains("kafka_admin_client_");
        producer.close(Duration.ZERO);
        consumer.close(Duration.ZERO);
        admin.close(Duration.ZERO);
      }
    } finally {
      System.setErr(stderr);
    }
    // and each client was logged with its role and pass-through, its secrets hidden
    String log = logged.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("kafka producer 'dead-letters'").contains("kafka consumer 'items'")
        .contains("kafka admin client 'probe'").contains("security.protocol=SASL_PLAINTEXT")
        .contains("sasl.jaas.config=[hidden]");
    assertThat(log).doesNotContain(SECRET);
  }
}
