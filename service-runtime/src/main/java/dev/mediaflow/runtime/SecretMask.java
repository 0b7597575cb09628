package dev.mediaflow.runtime;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Prints Kafka client settings for a log line with every secret hidden: keys Kafka itself types as
 * passwords ({@code ssl.key.password}, {@code sasl.jaas.config}, ...), plus any key whose name
 * says it holds a secret (for settings of plugins Kafka does not know).
 */
public final class SecretMask {
  static final String HIDDEN = "[hidden]";
  private static final Set<String> PASSWORD_KEYS = Stream.of(
          ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef())
      .flatMap(def -> def.configKeys().values().stream())
      .filter(key -> key.type == ConfigDef.Type.PASSWORD)
      .map(key -> key.name)
      .collect(Collectors.toUnmodifiableSet());

  private SecretMask() {}

  /** Whether the value of {@code key} must never be logged. */
  public static boolean isSecret(String key) {
    String name = key.toLowerCase(Locale.ROOT);
    return PASSWORD_KEYS.contains(key) || name.contains("password") || name.contains("secret")
        || name.contains("jaas") || name.endsWith(".key") || name.contains("credential") || name.contains("token");
  }

  /** {@code {key=value, ...}} in key order, secrets shown as {@value #HIDDEN}. */
  public static String describe(Map<String, ?> settings) {
    Map<String, Object> shown = new TreeMap<>();
    settings.forEach((key, value) -> shown.put(key, isSecret(key) ? HIDDEN : value));
    return shown.toString();
  }
}
