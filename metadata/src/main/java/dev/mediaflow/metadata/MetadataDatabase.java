package dev.mediaflow.metadata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Where the metadata store lives (SQLite file or PostgreSQL database and schema) and its one
 * migration set, {@code classpath:db/migration} of this module: {@code media_item} and the
 * queryable tables derived from it (V3: {@code media_box}, {@code media_box_score},
 * {@code media_class}, {@code histogram_bin}, {@code media_facts}, view {@code run_summary}),
 * written by the sink, and {@code api_key} (read by the gateway, written by {@code ops-cli keys}).
 *
 * <p>Every service that opens the store (sink, gateway, ops-cli) migrates it with this same set,
 * so Flyway never finds an applied version it does not know, whichever service starts first.
 * For a {@code jdbc:sqlite:} URL connections use WAL (readers never block the writer),
 * {@code synchronous=FULL} and a busy timeout.
 */
public final class MetadataDatabase {

  /** How long a SQLite writer waits for a lock held by another connection. */
  public static final int SQLITE_BUSY_TIMEOUT_MS = 5_000;
  /** The one location of the migrations; no other module may hold {@code db/migration}. */
  public static final String MIGRATIONS = "classpath:db/migration";

  private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final String url;
  private final String user;
  private final String password;
  private final String schema;
  private final SQLiteDataSource sqlite;

  /**
   * @param jdbcUrl {@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://host:port/db}
   * @param user database user, or {@code null}
   * @param password database password, or {@code null}; never logged
   * @param schema PostgreSQL schema (created if missing), or {@code null}/blank for the default;
   *     not supported for SQLite
   * @throws IllegalArgumentException on an unusable URL or schema name
   */
  public MetadataDatabase(String jdbcUrl, String user, String password, String schema) {
    if (jdbcUrl == null || jdbcUrl.isBlank()) {
      throw new IllegalArgumentException("no JDBC URL for the metadata store");
    }
    this.url = jdbcUrl;
    this.user = user;
    this.password = password;
    this.schema = validateSchema(jdbcUrl, schema);
    this.sqlite = isSqlite(jdbcUrl) ? sqliteDataSource(jdbcUrl) : null;
  }

  /**
   * Applies the pending migrations and returns the schema version now current.
   *
   * @throws MetadataException if the database cannot be reached or migrated
   */
  public int migrate() {
    FluentConfiguration config = Flyway.configure()
        .locations(MIGRATIONS)
        .failOnMissingLocations(true);
    if (sqlite != null) {
      config.dataSource(sqlite);
    } else {
      config.dataSource(url, user, password);
    }
    if (schema != null) {
      config.schemas(schema).createSchemas(true);
    }
    try {
      Flyway flyway = config.load();
      flyway.migrate();
      return Integer.parseInt(flyway.info().current().getVersion().getVersion());
    } catch (FlywayException e) {
      throw new MetadataException("cannot migrate the metadata store at " + describe(), e);
    }
  }

  /** A new autocommit connection, in the configured schema. */
  public Connection connect() throws SQLException {
    Connection opened = sqlite != null ? sqlite.getConnection() : DriverManager.getConnection(url, credentials());
    try {
      opened.setAutoCommit(true);
      if (schema != null) {
        opened.setSchema(schema);
      }
    } catch (SQLException e) {
      opened.close();
      throw e;
    }
    return opened;
  }

  public boolean isSqlite() {
    return sqlite != null;
  }

  /** The schema name, or null for the connection's default. */
  public String schema() {
    return schema;
  }

  /** The URL without its query (which may carry a password) and the schema, for logs and errors. */
  public String describe() {
    return redacted(url) + (schema == null ? "" : " schema " + schema);
  }

  private Properties credentials() {
    Properties properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    return properties;
  }

  /** The URL without its query parameters, which may carry a password. */
  public static String redacted(String jdbcUrl) {
    int query = jdbcUrl.indexOf('?');
    return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query) + "?…";
  }

  private static boolean isSqlite(String jdbcUrl) {
    return jdbcUrl.startsWith("jdbc:sqlite:");
  }

  private static SQLiteDataSource sqliteDataSource(String jdbcUrl) {
    String target = jdbcUrl.substring("jdbc:sqlite:".length());
    if (target.isEmpty() || target.contains(":memory:") || target.contains("mode=memory")) {
      // Flyway migrates over its own connection, which would see another in-memory database
      throw new IllegalArgumentException("the metadata store needs a SQLite file, not " + jdbcUrl);
    }
    createParentDirectory(target);
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // FULL, not WAL's usual NORMAL: a write must survive power loss once it returns
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl(jdbcUrl);
    return dataSource;
  }

  private static void createParentDirectory(String target) {
    if (target.startsWith("file:")) {
      return;
    }
    int query = target.indexOf('?');
    Path parent = Path.of(query < 0 ? target : target.substring(0, query)).toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the directory of the SQLite file " + target, e);
    }
  }

  private static String validateSchema(String jdbcUrl, String schema) {
    if (schema == null || schema.isBlank()) {
      return null;
    }
    if (isSqlite(jdbcUrl)) {
      throw new IllegalArgumentException("a schema name is not supported for SQLite");
    }
    if (!SCHEMA_NAME.matcher(schema).matches()) {
      throw new IllegalArgumentException("schema name must match " + SCHEMA_NAME + ": " + schema);
    }
    return schema;
  }
}
