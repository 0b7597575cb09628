package dev.mediaflow.transform;

import dev.mediaflow.runtime.KafkaSettings;
import dev.mediaflow.runtime.ServiceRuntime;
import dev.mediaflow.schemas.config.Settings;
import dev.mediaflow.transform.topology.TransformTopology.ItemFilter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Settings of the transform service, namespace {@code mediaflow.transform.} (environment:
 * {@code MEDIAFLOW_TRANSFORM_…}). Keys under {@code kafka.} pass through to Kafka Streams (its
 * producers, consumers and admin client) and to the health probe.
 */
public final class TransformConfig extends AbstractConfig {
  public static final String NAMESPACE = "mediaflow.transform.";
  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String APPLICATION_ID = "application.id";
  public static final String STATE_DIR = "state.dir";
  public static final String THREADS = "threads";
  public static final String TOPIC_NAMESPACE = "topic.namespace";
  public static final String OUTPUT_TOPIC_NAMESPACE = "output.topic.namespace";
  public static final String FILTER_PROJECT = "filter.project";
  public static final String FILTER_RUN = "filter.run";
  public static final String TABLE_MAX_ROWS = "table.max.rows";
  public static final String POINTCLOUD_LIMIT = "pointcloud.limit";
  public static final String POINTCLOUD_STRATEGY = "pointcloud.strategy";
  public static final String POINTCLOUD_ARCHIVE = "pointcloud.archive";
  public static final String HEALTH_PORT = "health.port";
  /** Address /health and /metrics bind: 127.0.0.1 (this machine), 0.0.0.0 (every interface, containers). */
  public static final String HEALTH_HOST = "health.host";
  /** DEFLATE level of the PNGs written, 0–12 (default 6, Pillow's); see the definition's doc. */
  public static final String PNG_COMPRESSION_LEVEL = "png.compression.level";
  public static final String KAFKA_PREFIX = "kafka.";
  /** Largest processed record: encoded images of 65,500² would not fit anyway; 64 MiB covers real ones. */
  public static final int MAX_RECORD_BYTES = 64 * 1024 * 1024;

  static final ConfigDef DEFINITION = new ConfigDef()
      .define(BOOTSTRAP_SERVERS, Type.STRING, Importance.HIGH, "Kafka bootstrap servers.")
      .define(SCHEMA_REGISTRY_URL, Type.STRING, Importance.HIGH, "Confluent-API schema registry root.")
      .define(APPLICATION_ID, Type.STRING, "mediaflow-transform", Importance.HIGH,
          "Kafka Streams application id (consumer group, transactional id prefix).")
      .define(STATE_DIR, Type.STRING, System.getProperty("java.io.tmpdir") + "/mediaflow-transform",
          Importance.LOW, "Kafka Streams state directory.")
      .define(THREADS, Type.INT, 1, Range.atLeast(1), Importance.MEDIUM, "Stream threads in this instance.")
      .define(TOPIC_NAMESPACE, Type.STRING, "", Importance.LOW,
          "Prefix of every topic name; a replay into a new target uses its own.")
      .define(OUTPUT_TOPIC_NAMESPACE, Type.STRING, null, Importance.LOW,
          "Prefix of the processed and dead-letter topics written; unset means topic.namespace. A replay"
              + " reads the regular raw topic and writes replay-<name>. topics.")
      .define(FILTER_PROJECT, Type.STRING, null, Importance.LOW,
          "Transform only events of this project; the others are skipped, not dead-lettered (replays).")
      .define(FILTER_RUN, Type.STRING, null, Importance.LOW,
          "Transform only events of this run of filter.project; needs filter.project.")
      .define(TABLE_MAX_ROWS, Type.INT, MediaRules.DEFAULTS.tableMaxRows(), Range.atLeast(1), Importance.MEDIUM,
          "Rows a logged table may have; more is rejected.")
      .define(POINTCLOUD_LIMIT, Type.INT, MediaRules.DEFAULTS.pointLimit(), Range.atLeast(1), Importance.MEDIUM,
          "Points a cloud keeps; larger clouds are truncated (and say so in their metadata).")
      .define(POINTCLOUD_STRATEGY, Type.STRING, "head", ConfigDef.ValidString.in("head", "strided"),
          Importance.MEDIUM, "head keeps the first points in order; strided keeps an evenly strided subsample.")
      .define(POINTCLOUD_ARCHIVE, Type.BOOLEAN, false, Importance.MEDIUM,
          "Also store the full-resolution cloud (PLY) when truncating, so nothing sent is lost.")
      .define(PNG_COMPRESSION_LEVEL, Type.INT, MediaRules.DEFAULT_PNG_COMPRESSION_LEVEL, Range.between(0, 12),
          Importance.LOW, "DEFLATE level of the PNGs written from arrays: 0 stores, 1 is fastest, 6 (default) is"
              + " Pillow's compress_level; 10-12 only with libdeflate (Debian libdeflate0; without it zlib is"
              + " used and stops at 9). Pixels never change; speed and size per level: BENCHMARKS.md.")
      .define(HEALTH_PORT, Type.INT, -1, Range.between(-1, 65535), Importance.LOW,
          "Port of GET /health/live, /health/ready, /health (= ready) and /metrics on health.host (0 picks one;"
              + " -1 turns them off).")
      .define(HEALTH_HOST, Type.STRING, "127.0.0.1", Importance.LOW,
          "Address /health and /metrics bind: 127.0.0.1 for this machine only, 0.0.0.0 for every interface"
              + " (containers).");

  public TransformConfig(Map<String, String> values) {
    super(DEFINITION, values, false);
    if (blankToNull(getString(FILTER_RUN)) != null && blankToNull(getString(FILTER_PROJECT)) == null) {
      throw new ConfigException(NAMESPACE + FILTER_RUN + " needs " + NAMESPACE + FILTER_PROJECT);
    }
  }

  /** The media-rule settings. */
  public MediaRules rules() {
    return new MediaRules(getInt(TABLE_MAX_ROWS), getInt(POINTCLOUD_LIMIT),
        getString(POINTCLOUD_STRATEGY).equals("strided"), getBoolean(POINTCLOUD_ARCHIVE),
        getInt(PNG_COMPRESSION_LEVEL));
  }

  public static TransformConfig load(Path file, Map<String, String> env) {
    return new TransformConfig(Settings.load(NAMESPACE, file, env));
  }

  /** Prefix of the raw topic read. */
  public String inputNamespace() {
    return getString(TOPIC_NAMESPACE);
  }

  /** Prefix of the processed and dead-letter topics written: {@code output.topic.namespace}, else the input's. */
  public String outputNamespace() {
    String output = getString(OUTPUT_TOPIC_NAMESPACE);
    return output != null ? output : inputNamespace();
  }

  /** Which raw events are transformed ({@link ItemFilter#ALL} unless {@code filter.*} is set). */
  public ItemFilter itemFilter() {
    return new ItemFilter(blankToNull(getString(FILTER_PROJECT)), blankToNull(getString(FILTER_RUN)));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  /** Bootstrap servers and the {@code kafka.*} pass-through, for every Kafka client of the transform. */
  public KafkaSettings kafka() {
    return KafkaSettings.of(getString(BOOTSTRAP_SERVERS), originalsStrings());
  }

  /** Where /health and /metrics are served ({@value #HEALTH_HOST}, {@value #HEALTH_PORT}). */
  public ServiceRuntime.Endpoint healthEndpoint() {
    return new ServiceRuntime.Endpoint(getString(HEALTH_HOST), getInt(HEALTH_PORT));
  }

  /** Kafka Streams properties: exactly-once v2, large records, then the {@code kafka.*} pass-throughs. */
  public Properties streams() {
    return kafka().streams(streamsDefaults());
  }

  /** The application's own Streams settings, under the pass-through. */
  public Map<String, Object> streamsDefaults() {
    Map<String, Object> p = new HashMap<>();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, getString(APPLICATION_ID));
    p.put(StreamsConfig.STATE_DIR_CONFIG, getString(STATE_DIR));
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, getInt(THREADS));
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    // Every processor, store and topic is named; refuse generated names so an upgrade never orphans state.
    p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), MAX_RECORD_BYTES + 1024 * 1024);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG), 256L * 1024 * 1024);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), MAX_RECORD_BYTES + 1024 * 1024);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), MAX_RECORD_BYTES + 1024 * 1024);
    // Media items are heavy: fetch few at a time so one poll's work stays well inside a transaction.
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 50);
    return p;
  }
}
