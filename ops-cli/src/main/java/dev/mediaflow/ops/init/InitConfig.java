package dev.mediaflow.ops.init;

import dev.mediaflow.schemas.config.Settings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Settings of {@code mediaflow init}, namespace {@code mediaflow.init.} (environment:
 * {@code MEDIAFLOW_INIT_…}); command-line options override them. Keys under {@code kafka.} pass
 * through to the admin client (SASL/SSL settings).
 */
public final class InitConfig extends AbstractConfig {
  public static final String NAMESPACE = "mediaflow.init.";
  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  /** Partitions of the raw and processed topics: the most instances of a stage that can share work. */
  public static final String PARTITIONS = "partitions";
  public static final String REPLICATION_FACTOR = "replication.factor";
  /** Replicas that must have a write before it is acknowledged ({@code acks=all}). */
  public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
  public static final String TOPIC_NAMESPACE = "topic.namespace";
  public static final String KAFKA_PREFIX = "kafka.";

  static final ConfigDef DEFINITION = new ConfigDef()
      .define(BOOTSTRAP_SERVERS, Type.STRING, Importance.HIGH, "Kafka bootstrap servers.")
      .define(SCHEMA_REGISTRY_URL, Type.STRING, Importance.HIGH,
          "Confluent-API schema registry root, e.g. http://host:8080/apis/ccompat/v7.")
      .define(PARTITIONS, Type.INT, 6, Range.atLeast(1), Importance.HIGH,
          "Partitions of the raw and processed topics (the dead-letter topic has one).")
      .define(REPLICATION_FACTOR, Type.SHORT, (short) 3, Range.atLeast(1), Importance.HIGH,
          "Replicas of every topic; at most the number of brokers.")
      .define(MIN_INSYNC_REPLICAS, Type.INT, 2, Range.atLeast(1), Importance.HIGH,
          "min.insync.replicas of every topic; at most the replication factor.")
      .define(TOPIC_NAMESPACE, Type.STRING, "", Importance.LOW, "Prefix of every topic name.");

  public InitConfig(Map<String, String> values) {
    super(DEFINITION, values, false);
  }

  /** The properties file (may be null) and the environment, then {@code overrides} on top. */
  public static InitConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
    Map<String, String> values = new HashMap<>(Settings.load(NAMESPACE, file, env));
    values.putAll(overrides);
    return new InitConfig(values);
  }

  /** What topics should look like. */
  public TopicSettings topicSettings() {
    return new TopicSettings(getInt(PARTITIONS), getShort(REPLICATION_FACTOR), getInt(MIN_INSYNC_REPLICAS));
  }

  /** Admin client settings: bootstrap servers plus every {@code kafka.*} pass-through. */
  public Map<String, Object> admin() {
    Map<String, Object> admin = new HashMap<>(Settings.passThrough(originalsStrings(), KAFKA_PREFIX));
    admin.put(BOOTSTRAP_SERVERS, getString(BOOTSTRAP_SERVERS));
    return admin;
  }
}
