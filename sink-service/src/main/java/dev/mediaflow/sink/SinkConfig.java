package dev.mediaflow.sink;

import dev.mediaflow.runtime.KafkaSettings;
import dev.mediaflow.runtime.ServiceRuntime;
import dev.mediaflow.schemas.config.Settings;
import dev.mediaflow.sink.s3.S3Settings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings of the sink service, namespace {@code mediaflow.sink.} (environment:
 * {@code MEDIAFLOW_SINK_…}). Keys under {@code kafka.} pass through to every Kafka client (the
 * consumer, the dead-letter producer, the health probe).
 * Secrets are typed as passwords so they never appear in logs.
 */
public final class SinkConfig extends AbstractConfig {
  public static final String NAMESPACE = "mediaflow.sink.";
  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String GROUP_ID = "group.id";
  public static final String TOPIC_NAMESPACE = "topic.namespace";
  public static final String S3_ENDPOINT = "s3.endpoint";
  public static final String S3_REGION = "s3.region";
  public static final String S3_BUCKET = "s3.bucket";
  public static final String S3_PREFIX = "s3.prefix";
  public static final String S3_PATH_STYLE = "s3.path.style";
  public static final String S3_ACCESS_KEY = "s3.access.key";
  public static final String S3_SECRET_KEY = "s3.secret.key";
  public static final String JDBC_URL = "jdbc.url";
  public static final String JDBC_USER = "jdbc.user";
  public static final String JDBC_PASSWORD = "jdbc.password";
  public static final String JDBC_SCHEMA = "jdbc.schema";
  public static final String HEALTH_PORT = "health.port";
  /** Address /health and /metrics bind: 127.0.0.1 (this machine), 0.0.0.0 (every interface, containers). */
  public static final String HEALTH_HOST = "health.host";
  public static final String KAFKA_PREFIX = "kafka.";
  /** The dead-letter producer's own settings (under the {@code kafka.*} pass-through). */
  public static final Map<String, Object> DEAD_LETTER_PRODUCER = Map.of(
      ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
      ProducerConfig.ACKS_CONFIG, "all",
      ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 66 * 1024 * 1024);

  static final ConfigDef DEFINITION = new ConfigDef()
      .define(BOOTSTRAP_SERVERS, Type.STRING, Importance.HIGH, "Kafka bootstrap servers.")
      .define(SCHEMA_REGISTRY_URL, Type.STRING, Importance.HIGH, "Confluent-API schema registry root.")
      .define(GROUP_ID, Type.STRING, "mediaflow-sink", Importance.HIGH, "Consumer group of the sink instances.")
      .define(TOPIC_NAMESPACE, Type.STRING, "", Importance.LOW, "Prefix of every topic name.")
      .define(S3_ENDPOINT, Type.STRING, null, Importance.HIGH,
          "S3 endpoint override (MinIO, S3Proxy); empty for AWS S3.")
      .define(S3_REGION, Type.STRING, "us-east-1", Importance.MEDIUM, "S3 region.")
      .define(S3_BUCKET, Type.STRING, "mediaflow", Importance.HIGH, "Bucket for media objects.")
      .define(S3_PREFIX, Type.STRING, "media", Importance.MEDIUM, "Key prefix inside the bucket.")
      .define(S3_PATH_STYLE, Type.BOOLEAN, true, Importance.LOW, "Path-style access (needed by most S3-compatible stores).")
      .define(S3_ACCESS_KEY, Type.STRING, null, Importance.HIGH, "Access key; empty uses the AWS default chain.")
      .define(S3_SECRET_KEY, Type.PASSWORD, null, Importance.HIGH, "Secret key.")
      .define(JDBC_URL, Type.STRING, Importance.HIGH, "jdbc:sqlite:<file> or jdbc:postgresql://host/db.")
      .define(JDBC_USER, Type.STRING, null, Importance.MEDIUM, "Database user.")
      .define(JDBC_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM, "Database password.")
      .define(JDBC_SCHEMA, Type.STRING, null, Importance.LOW, "PostgreSQL schema holding the tables.")
      .define(HEALTH_PORT, Type.INT, -1, ConfigDef.Range.between(-1, 65535), Importance.LOW,
          "Port of GET /health/live, /health/ready, /health (= ready) and /metrics on health.host (0 picks one;"
              + " -1 turns them off).")
      .define(HEALTH_HOST, Type.STRING, "127.0.0.1", Importance.LOW,
          "Address /health and /metrics bind: 127.0.0.1 for this machine only, 0.0.0.0 for every interface"
              + " (containers).");

  public SinkConfig(Map<String, String> values) {
    super(DEFINITION, values, false);
  }

  public static SinkConfig load(Path file, Map<String, String> env) {
    return new SinkConfig(Settings.load(NAMESPACE, file, env));
  }

  public S3Settings s3() {
    String endpoint = getString(S3_ENDPOINT);
    Password secret = getPassword(S3_SECRET_KEY);
    return new S3Settings(endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint), getString(S3_REGION),
        getString(S3_ACCESS_KEY), secret == null ? null : secret.value(), getBoolean(S3_PATH_STYLE),
        Duration.ofSeconds(30));
  }

  public String jdbcPassword() {
    Password password = getPassword(JDBC_PASSWORD);
    return password == null ? null : password.value();
  }

  /** Bootstrap servers and the {@code kafka.*} pass-through, for every Kafka client of the sink. */
  public KafkaSettings kafka() {
    return KafkaSettings.of(getString(BOOTSTRAP_SERVERS), originalsStrings());
  }

  /** Where /health and /metrics are served ({@value #HEALTH_HOST}, {@value #HEALTH_PORT}). */
  public ServiceRuntime.Endpoint healthEndpoint() {
    return new ServiceRuntime.Endpoint(getString(HEALTH_HOST), getInt(HEALTH_PORT));
  }

  /**
   * Consumer settings: manual commits, read only committed transactions, large records,
   * cooperative (incremental) rebalancing, then the pass-throughs.
   */
  public Map<String, Object> consumer() {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.GROUP_ID_CONFIG, getString(GROUP_ID));
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // The transform writes in transactions: never see an aborted or open one.
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 65 * 1024 * 1024);
    c.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 65 * 1024 * 1024);
    // The loop polls while writers retry; only a revocation waits (for writes in progress) inside poll.
    c.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 15 * 60 * 1000);
    // Incremental rebalancing: when an instance joins or leaves, only the partitions that move are
    // revoked. The client's default (range first) revokes every partition of every instance, so a
    // scale-out stopped all writers until the slowest in-flight write (an S3 PUT of a large object)
    // ended. Overridable through kafka.partition.assignment.strategy. The default list (range,
    // then cooperative-sticky) lets a group move over in one rolling restart. The new group
    // protocol (kafka.group.protocol=consumer) is incremental by itself and refuses the setting.
    if (!"consumer".equalsIgnoreCase(String.valueOf(kafka().passThrough().get(ConsumerConfig.GROUP_PROTOCOL_CONFIG)))) {
      c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
    }
    return kafka().consumer(c);
  }
}
