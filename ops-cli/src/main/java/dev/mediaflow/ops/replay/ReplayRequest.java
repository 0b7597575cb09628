package dev.mediaflow.ops.replay;

import dev.mediaflow.ops.OpsSettings;
import dev.mediaflow.sink.ObjectKeys;
import dev.mediaflow.sink.SinkConfig;
import dev.mediaflow.transform.TransformConfig;
import dev.mediaflow.transform.topology.TransformTopology.ItemFilter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One replay: what to read again and where to write it. Everything a replay creates is named
 * after it, so running the same request again resumes it (or changes nothing when it is done):
 * the transform's group {@code mediaflow-replay-NAME}, the sink's group
 * {@code mediaflow-replay-NAME-sink}, and for a new target the topics {@code replay-NAME.mediaflow.…}.
 *
 * @param name letters, digits, {@code -} and {@code _}
 * @param fromTimestamp first raw event to read, by record time; {@code null} for the beginning.
 *     Only used when the replay starts; a resumed replay goes on where it stopped.
 * @param filter which items are transformed; the others are skipped
 */
public record ReplayRequest(String name, Instant fromTimestamp, ItemFilter filter, ReplayTarget target) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

  public ReplayRequest {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("replay name must match " + NAME + ": '" + name + "'");
    }
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(target, "target");
  }

  public boolean inPlace() {
    return target instanceof ReplayTarget.InPlace;
  }

  /** Kafka Streams application id, hence the consumer group that holds the replay's progress. */
  public String applicationId() {
    return "mediaflow-replay-" + name;
  }

  /** Consumer group of the replay's own sink (new target only). */
  public String sinkGroup() {
    return applicationId() + "-sink";
  }

  /** Namespace of the processed and dead-letter topics written. */
  public String outputNamespace(String regularNamespace) {
    return inPlace() ? regularNamespace : "replay-" + name + "." + regularNamespace;
  }

  /** The regular transform settings, turned into this replay's. */
  public Map<String, String> transformSettings(OpsSettings settings) {
    Map<String, String> c = new HashMap<>(settings.transform());
    c.put(TransformConfig.BOOTSTRAP_SERVERS, settings.bootstrapServers());
    c.put(TransformConfig.SCHEMA_REGISTRY_URL, settings.registryUrl());
    c.put(TransformConfig.APPLICATION_ID, applicationId());
    c.put(TransformConfig.OUTPUT_TOPIC_NAMESPACE, outputNamespace(settings.topicNamespace()));
    c.remove(TransformConfig.FILTER_PROJECT);
    c.remove(TransformConfig.FILTER_RUN);
    if (filter.project() != null) {
      c.put(TransformConfig.FILTER_PROJECT, filter.project());
    }
    if (filter.run() != null) {
      c.put(TransformConfig.FILTER_RUN, filter.run());
    }
    // a new group starts where the replay says (offsets set beforehand), else at the beginning
    c.put(TransformConfig.KAFKA_PREFIX + "auto.offset.reset", "earliest");
    return c;
  }

  /**
   * The regular sink settings, turned into those of this replay's sink (new target only).
   *
   * @throws IllegalArgumentException if the objects or the rows would land where the regular
   *     sink writes (that is what {@code --in-place} is for)
   */
  public Map<String, String> sinkSettings(OpsSettings settings) {
    if (!(target instanceof ReplayTarget.NewTarget t)) {
      throw new IllegalStateException("an in-place replay runs no sink of its own");
    }
    Map<String, String> c = new HashMap<>(settings.sink());
    c.put(SinkConfig.BOOTSTRAP_SERVERS, settings.bootstrapServers());
    c.put(SinkConfig.SCHEMA_REGISTRY_URL, settings.registryUrl());
    SinkConfig regular = regularSink(c);
    String bucket = t.bucket() != null ? t.bucket() : regular.getString(SinkConfig.S3_BUCKET);
    String prefix = new ObjectKeys(t.prefix() != null ? t.prefix() : regular.getString(SinkConfig.S3_PREFIX)).prefix();
    String jdbcUrl = t.jdbcUrl() != null ? t.jdbcUrl() : c.get(SinkConfig.JDBC_URL);
    String schema = t.jdbcSchema() != null ? t.jdbcSchema()
        : t.jdbcUrl() != null ? null : regular.getString(SinkConfig.JDBC_SCHEMA);
    if (jdbcUrl == null || jdbcUrl.isBlank()) {
      throw new IllegalArgumentException("a new target needs --target-jdbc-url (no "
          + SinkConfig.NAMESPACE + SinkConfig.JDBC_URL + " is set)");
    }
    if (bucket.equals(regular.getString(SinkConfig.S3_BUCKET))
        && prefix.equals(new ObjectKeys(regular.getString(SinkConfig.S3_PREFIX)).prefix())) {
      throw new IllegalArgumentException("the new target's objects would land on the regular ones (bucket "
          + bucket + ", prefix '" + prefix + "'): give another --target-bucket or --target-prefix, or --in-place");
    }
    if (sameDatabase(jdbcUrl, c.get(SinkConfig.JDBC_URL)) && Objects.equals(schema, blankToNull(
        regular.getString(SinkConfig.JDBC_SCHEMA)))) {
      throw new IllegalArgumentException("the new target's rows would land on the regular ones: give another"
          + " --target-jdbc-url or --target-jdbc-schema, or --in-place");
    }
    c.put(SinkConfig.GROUP_ID, sinkGroup());
    c.put(SinkConfig.TOPIC_NAMESPACE, outputNamespace(settings.topicNamespace()));
    c.put(SinkConfig.S3_BUCKET, bucket);
    c.put(SinkConfig.S3_PREFIX, prefix);
    c.put(SinkConfig.JDBC_URL, jdbcUrl);
    c.remove(SinkConfig.JDBC_SCHEMA);
    if (schema != null) {
      c.put(SinkConfig.JDBC_SCHEMA, schema);
    }
    return c;
  }

  /** The regular sink's settings with their declared defaults (the JDBC URL may be unset here). */
  private static SinkConfig regularSink(Map<String, String> settings) {
    Map<String, String> c = new HashMap<>(settings);
    c.putIfAbsent(SinkConfig.JDBC_URL, "");
    return new SinkConfig(c);
  }

  private static boolean sameDatabase(String a, String b) {
    return b != null && normalized(a).equals(normalized(b));
  }

  /** SQLite file URLs by absolute path, so {@code data/a.db} and {@code ./data/a.db} compare equal. */
  private static String normalized(String jdbcUrl) {
    String sqlite = "jdbc:sqlite:";
    if (jdbcUrl.startsWith(sqlite) && !jdbcUrl.contains("?") && !jdbcUrl.startsWith(sqlite + "file:")) {
      return sqlite + Path.of(jdbcUrl.substring(sqlite.length())).toAbsolutePath().normalize();
    }
    return jdbcUrl;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
