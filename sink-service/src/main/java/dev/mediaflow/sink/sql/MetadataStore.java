package dev.mediaflow.sink.sql;

import dev.mediaflow.metadata.MetadataDatabase;
import dev.mediaflow.metadata.MetadataException;
import dev.mediaflow.schemas.avro.MediaIdentity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code media_item} table and the item's queryable rows ({@link DerivedRows}) over JDBC:
 * SQLite (embedded default) or PostgreSQL 15+.
 *
 * <p>Opening a store applies the shared Flyway migrations ({@link MetadataDatabase}). Writes are
 * idempotent upserts keyed by the item identity; each is one transaction (the item's row and its
 * derived rows), durable when {@link #upsert} returns. For a {@code jdbc:sqlite:} URL the database uses WAL (readers such as
 * {@code sqlite3} never block the writer), {@code synchronous=FULL} and a busy timeout.
 *
 * <p>One JDBC connection, used under this object's lock. After any SQL failure the connection is
 * dropped and the next call opens a new one, so a caller can simply retry. Methods throw
 * {@link MetadataStoreException} on failure, with the driver's {@code SQLException} as cause.
 */
public final class MetadataStore implements AutoCloseable {

  /** How long a SQLite writer waits for a lock held by another connection. */
  public static final int SQLITE_BUSY_TIMEOUT_MS = MetadataDatabase.SQLITE_BUSY_TIMEOUT_MS;

  private static final Logger LOG = LoggerFactory.getLogger(MetadataStore.class);

  private static final List<String> KEY_COLUMNS = List.of("project", "run", "log_key", "step", "item_index");
  private static final List<String> COLUMNS = List.of(
      "project", "run", "log_key", "step", "item_index", "media_type", "object_key", "object_keys",
      "content_type", "byte_size", "sha256", "width", "height", "mode", "format", "caption", "grouping",
      "classes_json", "warnings_json", "metadata_json", "producer_id", "logged_at", "stored_at");
  private static final String UPSERT = upsertSql();
  private static final String SELECT_ONE = "SELECT " + String.join(", ", COLUMNS) + " FROM media_item WHERE "
      + KEY_COLUMNS.stream().map(c -> c + " = ?").collect(Collectors.joining(" AND "));

  private final MetadataDatabase database;
  private Connection connection;

  /** A store at {@code jdbcUrl} without credentials (SQLite, or PostgreSQL with trust auth). */
  public MetadataStore(String jdbcUrl) {
    this(jdbcUrl, null, null, null);
  }

  /** A store at {@code jdbcUrl} using the engine's default schema. */
  public MetadataStore(String jdbcUrl, String user, String password) {
    this(jdbcUrl, user, password, null);
  }

  /**
   * Opens the store and migrates it to the latest schema version.
   *
   * @param jdbcUrl {@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://host:port/db}
   * @param user database user, or {@code null}
   * @param password database password, or {@code null}; never logged
   * @param schema PostgreSQL schema to hold the table (created if missing), or {@code null} (or
   *     blank) for the connection's default; not supported for SQLite
   * @throws IllegalArgumentException on an unusable URL or schema name
   * @throws MetadataStoreException if the database cannot be reached or migrated
   */
  public MetadataStore(String jdbcUrl, String user, String password, String schema) {
    this.database = new MetadataDatabase(jdbcUrl, user, password, schema);
    int version = migrate();
    synchronized (this) {
      try {
        connection();
      } catch (SQLException e) {
        throw failure("cannot connect to " + database.describe(), e);
      }
    }
    LOG.info("Metadata store ready at {} (schema version {})", database.describe(), version);
  }

  /**
   * Inserts the row, or replaces every column of the row with the same identity except
   * {@code stored_at}, which keeps its first value; replaying an event changes nothing. In the
   * same transaction, replaces the item's queryable rows ({@link DerivedRows}: boxes, scores,
   * classes, histogram bins, facts) with those derived from {@code row}.
   */
  public synchronized void upsert(MediaRow row) {
    DerivedRows derived = DerivedRows.of(row);
    try {
      Connection c = connection();
      c.setAutoCommit(false);
      try (PreparedStatement statement = c.prepareStatement(UPSERT)) {
        bind(statement, row);
        statement.executeUpdate();
      }
      DerivedRowWriter.replace(c, row, derived);
      c.commit();
      c.setAutoCommit(true);
    } catch (SQLException e) {
      // the failure drops the connection, which rolls the unfinished transaction back
      throw failure("upsert failed for " + row.describeIdentity(), e);
    }
  }

  /** Number of rows in {@code media_item}. */
  public synchronized long count() {
    try (PreparedStatement statement = connection().prepareStatement("SELECT COUNT(*) FROM media_item");
        ResultSet result = statement.executeQuery()) {
      result.next();
      return result.getLong(1);
    } catch (SQLException e) {
      throw failure("count failed", e);
    }
  }

  /** The row of one item, if stored. */
  public synchronized Optional<MediaRow> find(MediaIdentity identity) {
    try (PreparedStatement statement = connection().prepareStatement(SELECT_ONE)) {
      statement.setString(1, identity.getProject());
      statement.setString(2, identity.getRun());
      statement.setString(3, identity.getKey());
      statement.setLong(4, identity.getStep());
      statement.setInt(5, identity.getIndex());
      try (ResultSet result = statement.executeQuery()) {
        return result.next() ? Optional.of(read(result)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("find failed", e);
    }
  }

  @Override
  public synchronized void close() {
    discardConnection();
  }

  private int migrate() {
    try {
      return database.migrate();
    } catch (MetadataException e) {
      throw new MetadataStoreException(e.getMessage(), e.getCause());
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      connection = database.connect();
    }
    return connection;
  }

  private MetadataStoreException failure(String message, SQLException cause) {
    // the connection may be broken; the caller's retry gets a fresh one
    discardConnection();
    return new MetadataStoreException(message + ": " + cause.getMessage(), cause);
  }

  private void discardConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.debug("Ignoring failure to close a metadata store connection", e);
      }
      connection = null;
    }
  }

  private static String upsertSql() {
    String updates = COLUMNS.stream()
        .filter(c -> !KEY_COLUMNS.contains(c) && !c.equals("stored_at"))
        .map(c -> c + " = excluded." + c)
        .collect(Collectors.joining(", "));
    return "INSERT INTO media_item (" + String.join(", ", COLUMNS) + ") VALUES ("
        + String.join(", ", Collections.nCopies(COLUMNS.size(), "?")) + ") ON CONFLICT ("
        + String.join(", ", KEY_COLUMNS) + ") DO UPDATE SET " + updates;
  }

  private static void bind(PreparedStatement s, MediaRow row) throws SQLException {
    int i = 0;
    s.setString(++i, row.project());
    s.setString(++i, row.run());
    s.setString(++i, row.logKey());
    s.setLong(++i, row.step());
    s.setInt(++i, row.itemIndex());
    s.setString(++i, row.mediaType());
    setText(s, ++i, row.objectKey());
    s.setString(++i, row.objectKeysJson());
    setText(s, ++i, row.contentType());
    setBigint(s, ++i, row.byteSize());
    setText(s, ++i, row.sha256());
    setInteger(s, ++i, row.width());
    setInteger(s, ++i, row.height());
    setText(s, ++i, row.mode());
    setText(s, ++i, row.format());
    setText(s, ++i, row.caption());
    setInteger(s, ++i, row.grouping());
    s.setString(++i, row.classesJson());
    s.setString(++i, row.warningsJson());
    setText(s, ++i, row.metadataJson());
    s.setString(++i, row.producerId());
    s.setLong(++i, row.loggedAt());
    s.setLong(++i, row.storedAt());
  }

  private static MediaRow read(ResultSet r) throws SQLException {
    return new MediaRow(
        r.getString("project"), r.getString("run"), r.getString("log_key"),
        r.getLong("step"), r.getInt("item_index"), r.getString("media_type"),
        r.getString("object_key"), r.getString("object_keys"), r.getString("content_type"),
        nullableLong(r, "byte_size"), r.getString("sha256"),
        nullableInt(r, "width"), nullableInt(r, "height"),
        r.getString("mode"), r.getString("format"), r.getString("caption"), nullableInt(r, "grouping"),
        r.getString("classes_json"), r.getString("warnings_json"), r.getString("metadata_json"),
        r.getString("producer_id"), r.getLong("logged_at"), r.getLong("stored_at"));
  }

  private static void setText(PreparedStatement s, int index, String value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.VARCHAR);
    } else {
      s.setString(index, value);
    }
  }

  private static void setBigint(PreparedStatement s, int index, Long value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.BIGINT);
    } else {
      s.setLong(index, value);
    }
  }

  private static void setInteger(PreparedStatement s, int index, Integer value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.INTEGER);
    } else {
      s.setInt(index, value);
    }
  }

  private static Long nullableLong(ResultSet r, String column) throws SQLException {
    long value = r.getLong(column);
    return r.wasNull() ? null : value;
  }

  private static Integer nullableInt(ResultSet r, String column) throws SQLException {
    int value = r.getInt(column);
    return r.wasNull() ? null : value;
  }
}
