package dev.mediaflow.runtime;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * What every Kafka client of a service is built from: the bootstrap servers and the
 * {@code kafka.*} pass-through (security, timeouts, anything the client knows), as one service
 * configured them. Each method takes the role's own defaults and returns the final settings:
 * defaults first, then {@code bootstrap.servers}, then the pass-through on top, so an operator's
 * {@code kafka.*} value always wins and SASL/SSL settings reach every client (producers,
 * consumers, admin, Kafka Streams, dead-letter producers alike).
 *
 * @param bootstrapServers the service's {@code bootstrap.servers}
 * @param passThrough the entries under the service's {@code kafka.} prefix, prefix stripped
 */
public record KafkaSettings(String bootstrapServers, Map<String, Object> passThrough) {
  /** The service setting prefix whose entries pass through to every Kafka client. */
  public static final String PREFIX = "kafka.";

  public KafkaSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrap.servers");
    passThrough = Collections.unmodifiableMap(new TreeMap<>(passThrough));
  }

  /**
   * The settings of one service.
   *
   * @param serviceSettings the service's own settings, namespace stripped (e.g. {@code kafka.sasl.mechanism})
   */
  public static KafkaSettings of(String bootstrapServers, Map<String, ?> serviceSettings) {
    Map<String, Object> passThrough = new TreeMap<>();
    serviceSettings.forEach((key, value) -> {
      if (key.startsWith(PREFIX)) {
        passThrough.put(key.substring(PREFIX.length()), value);
      }
    });
    return new KafkaSettings(bootstrapServers, passThrough);
  }

  /** Producer settings: {@code defaults}, then bootstrap servers, then the pass-through. */
  public Map<String, Object> producer(Map<String, ?> defaults) {
    return merge(defaults);
  }

  /** Consumer settings: {@code defaults}, then bootstrap servers, then the pass-through. */
  public Map<String, Object> consumer(Map<String, ?> defaults) {
    return merge(defaults);
  }

  /** Admin client settings: {@code defaults}, then bootstrap servers, then the pass-through. */
  public Map<String, Object> admin(Map<String, ?> defaults) {
    return merge(defaults);
  }

  /**
   * Kafka Streams properties: {@code defaults}, then bootstrap servers, then the pass-through.
   * Streams hands the unprefixed client settings to its producers, consumers and admin client.
   */
  public Properties streams(Map<String, ?> defaults) {
    Properties properties = new Properties();
    properties.putAll(merge(defaults));
    return properties;
  }

  private Map<String, Object> merge(Map<String, ?> defaults) {
    Map<String, Object> settings = new HashMap<>(defaults);
    settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    settings.putAll(passThrough);
    return settings;
  }

  /** Never prints the pass-through's values, which may hold secrets (see {@link SecretMask}). */
  @Override
  public String toString() {
    return "KafkaSettings" + SecretMask.describe(merge(Map.of()));
  }
}
