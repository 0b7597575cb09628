package dev.mediaflow.query;

import dev.mediaflow.metadata.MetadataDatabase;
import dev.mediaflow.schemas.config.Settings;
import dev.mediaflow.sink.s3.S3Settings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings of the query service, namespace {@code mediaflow.query.} (environment:
 * {@code MEDIAFLOW_QUERY_…}): where it listens, the metadata store it reads (the sink's), the S3
 * bucket the sink writes (same keys as the sink's {@code s3.*}), API keys and the preview cache.
 */
public final class QueryConfig extends AbstractConfig {
  public static final String NAMESPACE = "mediaflow.query.";
  public static final String HTTP_HOST = "http.host";
  public static final String HTTP_PORT = "http.port";
  /** Threads of the HTTP server (every request: SQL, S3 reads, previews). */
  public static final String HTTP_THREADS = "http.threads";
  public static final String JDBC_URL = "jdbc.url";
  public static final String JDBC_USER = "jdbc.user";
  public static final String JDBC_PASSWORD = "jdbc.password";
  public static final String JDBC_SCHEMA = "jdbc.schema";
  public static final String S3_ENDPOINT = "s3.endpoint";
  public static final String S3_REGION = "s3.region";
  public static final String S3_BUCKET = "s3.bucket";
  public static final String S3_PATH_STYLE = "s3.path.style";
  public static final String S3_ACCESS_KEY = "s3.access.key";
  public static final String S3_SECRET_KEY = "s3.secret.key";
  /** Whether /api/v1 needs a read (or write) API key; on unless turned off. */
  public static final String AUTH_ENABLED = "auth.enabled";
  /** How long what the key store said about a key is reused. */
  public static final String AUTH_CACHE_MS = "auth.cache.ms";
  /** Bytes of encoded thumbnails kept in memory (least recently used dropped). */
  public static final String PREVIEW_CACHE_BYTES = "preview.cache.bytes";

  static final ConfigDef DEFINITION = new ConfigDef()
      .define(HTTP_HOST, Type.STRING, "127.0.0.1", Importance.MEDIUM, "Address the query API and browser bind.")
      .define(HTTP_PORT, Type.INT, 8081, Range.between(0, 65535), Importance.MEDIUM, "HTTP port; 0 picks a free one.")
      .define(HTTP_THREADS, Type.INT, 32, Range.atLeast(4), Importance.LOW,
          "Threads of the HTTP server: each request (SQL, an S3 read, a preview) holds one while it runs.")
      .define(JDBC_URL, Type.STRING, Importance.HIGH,
          "The metadata store the sink writes: jdbc:sqlite:<file> or jdbc:postgresql://host/db.")
      .define(JDBC_USER, Type.STRING, null, Importance.MEDIUM, "Database user.")
      .define(JDBC_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM, "Database password.")
      .define(JDBC_SCHEMA, Type.STRING, null, Importance.LOW, "PostgreSQL schema holding the tables.")
      .define(S3_ENDPOINT, Type.STRING, null, Importance.HIGH, "S3 endpoint override (MinIO, S3Proxy); empty for AWS S3.")
      .define(S3_REGION, Type.STRING, "us-east-1", Importance.MEDIUM, "S3 region.")
      .define(S3_BUCKET, Type.STRING, "mediaflow", Importance.HIGH, "Bucket the sink writes media objects to.")
      .define(S3_PATH_STYLE, Type.BOOLEAN, true, Importance.LOW, "Path-style access (most S3-compatible stores).")
      .define(S3_ACCESS_KEY, Type.STRING, null, Importance.HIGH, "Access key; empty uses the AWS default chain.")
      .define(S3_SECRET_KEY, Type.PASSWORD, null, Importance.HIGH, "Secret key.")
      .define(AUTH_ENABLED, Type.BOOLEAN, true, Importance.HIGH,
          "Require a per-project API key of scope read or write on /api/v1 (Authorization: Bearer, or the cookie"
              + " set by POST /api/v1/session): 401 without or with an unknown or revoked key, 403 for another"
              + " project. Static files and health are always open.")
      .define(AUTH_CACHE_MS, Type.LONG, 2_000L, Range.between(0L, 60_000L), Importance.LOW,
          "How long what the key store said about a key is reused; a revoked key stops working within it.")
      .define(PREVIEW_CACHE_BYTES, Type.LONG, 64L * 1024 * 1024, Range.atLeast(0L), Importance.LOW,
          "Heap for encoded thumbnails (least recently used dropped); 0 turns the cache off.");

  public QueryConfig(Map<String, String> values) {
    super(DEFINITION, values, false);
  }

  /** Reads the properties file (may be null) and the environment. Fails on a missing or invalid key. */
  public static QueryConfig load(Path file, Map<String, String> env) {
    return new QueryConfig(Settings.load(NAMESPACE, file, env));
  }

  public MetadataDatabase database() {
    Password password = getPassword(JDBC_PASSWORD);
    return new MetadataDatabase(getString(JDBC_URL), getString(JDBC_USER), password == null ? null : password.value(),
        getString(JDBC_SCHEMA));
  }

  public S3Settings s3() {
    String endpoint = getString(S3_ENDPOINT);
    Password secret = getPassword(S3_SECRET_KEY);
    return new S3Settings(endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint), getString(S3_REGION),
        getString(S3_ACCESS_KEY), secret == null ? null : secret.value(), getBoolean(S3_PATH_STYLE),
        S3Settings.DEFAULT_TIMEOUT);
  }

  public String bucket() {
    return getString(S3_BUCKET);
  }

  public boolean authEnabled() {
    return getBoolean(AUTH_ENABLED);
  }

  public Duration authCacheTtl() {
    return Duration.ofMillis(getLong(AUTH_CACHE_MS));
  }
}
