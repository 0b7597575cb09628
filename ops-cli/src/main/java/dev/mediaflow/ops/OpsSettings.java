package dev.mediaflow.ops;

import dev.mediaflow.metadata.MetadataDatabase;
import dev.mediaflow.schemas.config.Settings;
import dev.mediaflow.sink.SinkConfig;
import dev.mediaflow.transform.TransformConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What the commands know about the pipeline: the transform's and the sink's settings, read
 * the way the services read them (an optional properties file, then environment variables, under
 * {@code mediaflow.transform.} and {@code mediaflow.sink.}), so one file can serve all three.
 *
 * @param transform settings under {@code mediaflow.transform.}, namespace stripped
 * @param sink settings under {@code mediaflow.sink.}, namespace stripped
 */
public record OpsSettings(Map<String, String> transform, Map<String, String> sink) {
  /** The group the regular sink commits in when {@code group.id} is not set. */
  public static final String DEFAULT_SINK_GROUP = "mediaflow-sink";

  public OpsSettings {
    transform = Map.copyOf(transform);
    sink = Map.copyOf(sink);
  }

  public static OpsSettings load(Path file, Map<String, String> env) {
    return new OpsSettings(Settings.load(TransformConfig.NAMESPACE, file, env),
        Settings.load(SinkConfig.NAMESPACE, file, env));
  }

  public String bootstrapServers() {
    return required(TransformConfig.BOOTSTRAP_SERVERS);
  }

  public String registryUrl() {
    return required(TransformConfig.SCHEMA_REGISTRY_URL);
  }

  /** The topic namespace of the regular pipeline (usually empty). */
  public String topicNamespace() {
    return transform.getOrDefault(TransformConfig.TOPIC_NAMESPACE, "");
  }

  public String sinkGroup() {
    return sink.getOrDefault(SinkConfig.GROUP_ID, DEFAULT_SINK_GROUP);
  }

  /**
   * Settings for the plain Kafka clients of the commands: bootstrap servers plus the transform's
   * {@code kafka.*} pass-throughs (security settings live there).
   */
  public Map<String, Object> kafkaClient() {
    Map<String, Object> config = new HashMap<>(Settings.passThrough(transform, TransformConfig.KAFKA_PREFIX));
    config.put("bootstrap.servers", bootstrapServers());
    return config;
  }

  /**
   * The metadata store of the regular sink ({@code jdbc.url}, {@code jdbc.user},
   * {@code jdbc.password}, {@code jdbc.schema} under {@code mediaflow.sink.}), where the API keys live.
   */
  public MetadataDatabase metadataDatabase() {
    String url = sink.get(SinkConfig.JDBC_URL);
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("missing setting " + SinkConfig.NAMESPACE + SinkConfig.JDBC_URL
          + "; pass --config FILE or set MEDIAFLOW_SINK_JDBC_URL");
    }
    return new MetadataDatabase(url, sink.get(SinkConfig.JDBC_USER), sink.get(SinkConfig.JDBC_PASSWORD),
        sink.get(SinkConfig.JDBC_SCHEMA));
  }

  /** A transform setting, else the sink's same key; fails naming both keys when neither is set. */
  private String required(String key) {
    String value = transform.getOrDefault(key, sink.get(key));
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("missing setting " + TransformConfig.NAMESPACE + key + " (or "
          + SinkConfig.NAMESPACE + key + "); pass --config FILE or set the environment variable");
    }
    return value;
  }
}
