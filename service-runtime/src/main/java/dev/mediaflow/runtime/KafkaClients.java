package dev.mediaflow.runtime;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a service builds its Kafka clients. Every client gets the service's
 * {@link KafkaSettings} (bootstrap servers and the {@code kafka.*} pass-through) on top of the
 * role's defaults, its metrics bound to the service's registry (Micrometer's
 * {@link KafkaClientMetrics}), and one log line naming its role and settings, secrets hidden.
 * The metric bindings are closed by {@link Metrics#close()}; the clients by their owners.
 */
public final class KafkaClients {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaClients.class);

  private final KafkaSettings settings;
  private final Metrics metrics;

  public KafkaClients(KafkaSettings settings, Metrics metrics) {
    this.settings = settings;
    this.metrics = metrics;
  }

  public KafkaSettings settings() {
    return settings;
  }

  /**
   * A producer with its metrics bound.
   *
   * @param role what it is for, e.g. {@code dead-letters}; logged and used as the metrics' tag
   * @param defaults the role's settings, under the pass-through
   */
  public <K, V> KafkaProducer<K, V> producer(String role, Map<String, ?> defaults, Serializer<K> keys,
      Serializer<V> values) {
    Map<String, Object> config = settings.producer(defaults);
    log("producer", role, config);
    KafkaProducer<K, V> producer = new KafkaProducer<>(config, keys, values);
    metrics.bind(new KafkaClientMetrics(producer));
    return producer;
  }

  /** A consumer with its metrics bound; see {@link #producer}. */
  public <K, V> KafkaConsumer<K, V> consumer(String role, Map<String, ?> defaults, Deserializer<K> keys,
      Deserializer<V> values) {
    Map<String, Object> config = settings.consumer(defaults);
    log("consumer", role, config);
    KafkaConsumer<K, V> consumer = new KafkaConsumer<>(config, keys, values);
    metrics.bind(new KafkaClientMetrics(consumer));
    return consumer;
  }

  /** An admin client with its metrics bound; see {@link #producer}. */
  public Admin admin(String role, Map<String, ?> defaults) {
    return adminAsGiven(role, settings.admin(defaults));
  }

  /**
   * An admin client built from exactly {@code config}, which already holds the pass-through: for
   * the health probe, whose own timeouts must win over it.
   */
  Admin adminAsGiven(String role, Map<String, Object> config) {
    log("admin client", role, config);
    AdminClient admin = AdminClient.create(config);
    metrics.bind(new KafkaClientMetrics(admin));
    return admin;
  }

  /**
   * Kafka Streams properties (bind the running instance with
   * {@code metrics.bind(new KafkaStreamsMetrics(streams))}).
   *
   * @param defaults the application's settings, under the pass-through
   */
  public Properties streams(String role, Map<String, ?> defaults) {
    Properties properties = settings.streams(defaults);
    log("streams", role, properties);
    return properties;
  }

  private static void log(String kind, String role, Map<?, ?> config) {
    Map<String, Object> named = new TreeMap<>();
    config.forEach((key, value) -> named.put(key.toString(), value));
    LOG.info("kafka {} '{}': {}", kind, role, SecretMask.describe(named));
  }
}
