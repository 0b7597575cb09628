package dev.mediaflow.ingest;

import dev.mediaflow.metadata.MetadataDatabase;
import dev.mediaflow.runtime.KafkaSettings;
import dev.mediaflow.schemas.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings of the ingest service, namespace {@code mediaflow.ingest.} (environment:
 * {@code MEDIAFLOW_INGEST_…}). Keys under {@code kafka.} pass through to every Kafka client (the
 * producer of items and dead letters, the health probe).
 */
public final class IngestConfig extends AbstractConfig {
  public static final String NAMESPACE = "mediaflow.ingest.";
  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String HTTP_HOST = "http.host";
  public static final String HTTP_PORT = "http.port";
  public static final String HTTP_THREADS = "http.threads";
  public static final String HTTP_MAX_REQUEST_BYTES = "http.max.request.bytes";
  /** Largest multipart part (413 above it). */
  public static final String HTTP_MAX_PART_BYTES = "http.max.part.bytes";
  /** Most parts in one call (413 above it). */
  public static final String HTTP_MAX_PARTS = "http.max.parts";
  /** Largest request line plus headers (431), and largest headers of one part (413). */
  public static final String HTTP_MAX_HEADER_BYTES = "http.max.header.bytes";
  /** A connection silent this long (e.g. a client stalled after its headers) is dropped. */
  public static final String HTTP_IDLE_TIMEOUT_MS = "http.idle.timeout.ms";
  /** Where parts above a small size wait on disk while the body arrives; empty: the system temp dir. */
  public static final String HTTP_SPOOL_DIR = "http.spool.dir";
  /** Heap that calls in flight may hold together; 0: a quarter of the maximum heap. */
  public static final String MEMORY_BUDGET_BYTES = "memory.budget.bytes";
  /** Calls per second per project; 0: no limit. */
  public static final String RATE_LIMIT_CALLS_PER_SECOND = "rate.limit.calls.per.second";
  /** Body bytes per second per project; 0: no limit. */
  public static final String RATE_LIMIT_BYTES_PER_SECOND = "rate.limit.bytes.per.second";
  public static final String PRODUCER_ID = "producer.id";
  /** How long a log call may wait for Kafka's acknowledgements before it is answered 503. */
  public static final String CALL_TIMEOUT_MS = "call.timeout.ms";
  public static final String KAFKA_PREFIX = "kafka.";
  /** Whether log calls need an API key ({@code Authorization: Bearer}); on unless turned off. */
  public static final String AUTH_ENABLED = "auth.enabled";
  /** How long the gateway trusts what the key store said about a key; a revocation is seen within it. */
  public static final String AUTH_CACHE_MS = "auth.cache.ms";
  /** The metadata store holding the API keys (the sink's store): URL, user, password, schema. */
  public static final String JDBC_URL = "jdbc.url";
  public static final String JDBC_USER = "jdbc.user";
  public static final String JDBC_PASSWORD = "jdbc.password";
  public static final String JDBC_SCHEMA = "jdbc.schema";

  static final ConfigDef DEFINITION = new ConfigDef()
      .define(BOOTSTRAP_SERVERS, Type.STRING, Importance.HIGH, "Kafka bootstrap servers.")
      .define(SCHEMA_REGISTRY_URL, Type.STRING, Importance.HIGH,
          "Confluent-API schema registry root, e.g. http://host:8081 or http://host/apis/ccompat/v7.")
      .define(HTTP_HOST, Type.STRING, "127.0.0.1", Importance.MEDIUM, "Address the HTTP gateway binds.")
      .define(HTTP_PORT, Type.INT, 8080, Range.between(0, 65535), Importance.MEDIUM, "HTTP port; 0 picks a free one.")
      .define(HTTP_THREADS, Type.INT, 8, Range.atLeast(1), Importance.LOW,
          "Log calls parsed and awaiting Kafka at once; reading bodies, health and metrics do not use these threads.")
      .define(HTTP_MAX_REQUEST_BYTES, Type.LONG, 256L * 1024 * 1024, Range.atLeast(1024), Importance.LOW,
          "Largest multipart body accepted.")
      .define(HTTP_MAX_PART_BYTES, Type.LONG, 64L * 1024 * 1024, Range.between(1024L, Integer.MAX_VALUE - 16L), Importance.LOW,
          "Largest multipart part; a larger one is answered 413 (an item's record cannot exceed 64 MiB anyway).")
      .define(HTTP_MAX_PARTS, Type.INT, 1000, Range.atLeast(1), Importance.LOW,
          "Most parts in one call; more is answered 413.")
      .define(HTTP_MAX_HEADER_BYTES, Type.INT, 8192, Range.atLeast(1024), Importance.LOW,
          "Largest request line and headers (431 above it) and largest headers of one part (413 above it).")
      .define(HTTP_IDLE_TIMEOUT_MS, Type.LONG, 30_000L, Range.atLeast(100L), Importance.LOW,
          "A connection with nothing received or sent for this long is closed, e.g. a client stalled after its"
              + " headers (its call is answered 408 when possible).")
      .define(HTTP_SPOOL_DIR, Type.STRING, "", Importance.LOW,
          "Directory where large parts wait on disk while the body arrives (bounded memory); empty: the system"
              + " temp dir.")
      .define(MEMORY_BUDGET_BYTES, Type.LONG, 0L, Range.atLeast(0L), Importance.MEDIUM,
          "Heap that all calls in flight may hold together (each reserves twice its body: the parts and the"
              + " records made from them); a call that would exceed it is answered 429 with Retry-After, one"
              + " that could never fit 413. 0: a quarter of the JVM's maximum heap.")
      .define(RATE_LIMIT_CALLS_PER_SECOND, Type.DOUBLE, 0.0, Range.atLeast(0.0), Importance.LOW,
          "Log calls per second per project (burst: one second's worth); above it 429 with Retry-After. 0: off.")
      .define(RATE_LIMIT_BYTES_PER_SECOND, Type.DOUBLE, 0.0, Range.atLeast(0.0), Importance.LOW,
          "Body bytes per second per project (burst: one second's worth); above it 429 with Retry-After. 0: off.")
      .define(PRODUCER_ID, Type.STRING, "http-gateway", Importance.LOW, "Recorded as producer_id on every event.")
      .define(CALL_TIMEOUT_MS, Type.LONG, 30_000L, Range.between(1_000L, 300_000L), Importance.MEDIUM,
          "Deadline of one log call: its items are sent together and, if Kafka has not acknowledged them all"
              + " by then, the call is answered 503 (an item answered 503 may still be stored later; a retry"
              + " overwrites it). The producer's delivery.timeout.ms, request.timeout.ms and max.block.ms"
              + " follow from it unless set under kafka.")
      .define(AUTH_ENABLED, Type.BOOLEAN, true, Importance.HIGH,
          "Require a per-project API key (Authorization: Bearer <key>, made with ops-cli keys create) on log calls:"
              + " 401 without or with an unknown or revoked key, 403 for another project's path or a read key.")
      .define(AUTH_CACHE_MS, Type.LONG, 2_000L, Range.between(0L, 60_000L), Importance.LOW,
          "How long what the key store said about a key is reused; a revoked key stops working within it.")
      .define(JDBC_URL, Type.STRING, null, Importance.HIGH,
          "Metadata store holding the API keys (the sink's jdbc.url): jdbc:sqlite:<file> or"
              + " jdbc:postgresql://host/db. Needed when auth.enabled.")
      .define(JDBC_USER, Type.STRING, null, Importance.MEDIUM, "Database user of the key store.")
      .define(JDBC_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM, "Database password of the key store.")
      .define(JDBC_SCHEMA, Type.STRING, null, Importance.LOW, "PostgreSQL schema holding the tables.");

  public IngestConfig(Map<String, String> values) {
    super(DEFINITION, values, false);
  }

  /** Reads the properties file (may be null) and the environment. Fails on a missing or invalid key. */
  public static IngestConfig load(Path file, Map<String, String> env) {
    return new IngestConfig(Settings.load(NAMESPACE, file, env));
  }

  /** The deadline of one log call ({@value #CALL_TIMEOUT_MS}). */
  public Duration callTimeout() {
    return Duration.ofMillis(getLong(CALL_TIMEOUT_MS));
  }

  /** Whether log calls need an API key ({@value #AUTH_ENABLED}). */
  public boolean authEnabled() {
    return getBoolean(AUTH_ENABLED);
  }

  /** How long a key's stored state is reused ({@value #AUTH_CACHE_MS}). */
  public Duration authCacheTtl() {
    return Duration.ofMillis(getLong(AUTH_CACHE_MS));
  }

  /**
   * The key store's database.
   *
   * @throws ConfigException when {@value #JDBC_URL} is not set
   */
  public MetadataDatabase keyStoreDatabase() {
    String url = getString(JDBC_URL);
    if (url == null || url.isBlank()) {
      throw new ConfigException(NAMESPACE + JDBC_URL, url, "the API key store is needed while " + NAMESPACE
          + AUTH_ENABLED + " is true (set it to the sink's jdbc.url, or turn auth off)");
    }
    Password password = getPassword(JDBC_PASSWORD);
    return new MetadataDatabase(url, getString(JDBC_USER), password == null ? null : password.value(),
        getString(JDBC_SCHEMA));
  }

  /** Bootstrap servers and the {@code kafka.*} pass-through, for every Kafka client of the gateway. */
  public KafkaSettings kafka() {
    return KafkaSettings.of(getString(BOOTSTRAP_SERVERS), originalsStrings());
  }
}
