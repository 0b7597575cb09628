package dev.mediaflow.metadata;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code api_key} table of the metadata store: create, list, find and revoke per-project
 * API keys. Only the SHA-256 of a key's secret is stored; the whole key exists once, in the
 * {@link NewApiKey} that {@link #create} returns. Nothing here logs a key or a hash.
 *
 * <p>Opening the store applies the shared migrations ({@link MetadataDatabase#migrate()}). One
 * JDBC connection, used under this object's lock; after a failure it is dropped and the next call
 * opens a new one, so a caller can simply retry. Methods throw {@link MetadataException}.
 */
public final class ApiKeyStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiKeyStore.class);
  private static final String COLUMNS = "id, hash, project, scope, label, created_at, revoked_at";

  private final MetadataDatabase database;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private Connection connection;

  /** A store on the engine's default schema, without credentials (SQLite, or a URL carrying them). */
  public ApiKeyStore(String jdbcUrl) {
    this(new MetadataDatabase(jdbcUrl, null, null, null), Clock.systemUTC());
  }

  /**
   * Opens the store and migrates it to the latest schema version.
   *
   * @throws MetadataException if the database cannot be reached or migrated
   */
  public ApiKeyStore(MetadataDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
    int version = database.migrate();
    LOG.info("API key store ready at {} (schema version {})", database.describe(), version);
  }

  /**
   * Creates a key for one project (or {@link ApiKey#ANY_PROJECT}) and scope.
   *
   * @param label a note on who holds it, or null
   * @return the key's description and its plaintext, which is not stored and cannot be shown again
   */
  public synchronized NewApiKey create(String project, ApiKeyScope scope, String label) {
    if (project == null || project.isEmpty()) {
      throw new IllegalArgumentException("a key needs a project, or * for every project");
    }
    ApiKeyToken token = ApiKeyToken.generate(random);
    ApiKey key = new ApiKey(token.id(), project, scope, label, now(), null);
    try (PreparedStatement insert = connection().prepareStatement(
        "INSERT INTO api_key (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, NULL)")) {
      insert.setString(1, key.id());
      insert.setString(2, HexFormat.of().formatHex(token.secretHash()));
      insert.setString(3, project);
      insert.setString(4, scope.sqlName());
      if (label == null) {
        insert.setNull(5, Types.VARCHAR);
      } else {
        insert.setString(5, label);
      }
      insert.setLong(6, key.createdAt().toEpochMilli());
      insert.executeUpdate();
    } catch (SQLException e) {
      throw failure("cannot create an API key", e);
    }
    return new NewApiKey(key, token);
  }

  /** Every key, oldest first, revoked ones included; never a secret or hash. */
  public synchronized List<ApiKey> list() {
    List<ApiKey> keys = new ArrayList<>();
    try (PreparedStatement query = connection().prepareStatement(
        "SELECT " + COLUMNS + " FROM api_key ORDER BY created_at, id");
        ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        keys.add(read(rows).key());
      }
    } catch (SQLException e) {
      throw failure("cannot list the API keys", e);
    }
    return keys;
  }

  /** The key with this id and its hash, if there is one (revoked or not). */
  public synchronized Optional<StoredApiKey> find(String id) {
    try (PreparedStatement query = connection().prepareStatement(
        "SELECT " + COLUMNS + " FROM api_key WHERE id = ?")) {
      query.setString(1, id);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(read(rows)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("cannot look up API key " + id, e);
    }
  }

  /**
   * Revokes a key; revoking it again keeps the first revocation time.
   *
   * @return the key as now stored, or empty when no key has this id
   */
  public synchronized Optional<ApiKey> revoke(String id) {
    try (PreparedStatement update = connection().prepareStatement(
        "UPDATE api_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
      update.setLong(1, now().toEpochMilli());
      update.setString(2, id);
      update.executeUpdate();
    } catch (SQLException e) {
      throw failure("cannot revoke API key " + id, e);
    }
    return find(id).map(StoredApiKey::key);
  }

  @Override
  public synchronized void close() {
    discardConnection();
  }

  private Instant now() {
    // milliseconds, as stored, so a created key equals the key read back
    return Instant.ofEpochMilli(clock.millis());
  }

  private static StoredApiKey read(ResultSet r) throws SQLException {
    long revoked = r.getLong("revoked_at");
    Instant revokedAt = r.wasNull() ? null : Instant.ofEpochMilli(revoked);
    ApiKey key = new ApiKey(r.getString("id"), r.getString("project"), ApiKeyScope.parse(r.getString("scope")),
        r.getString("label"), Instant.ofEpochMilli(r.getLong("created_at")), revokedAt);
    return new StoredApiKey(key, HexFormat.of().parseHex(r.getString("hash")));
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      connection = database.connect();
    }
    return connection;
  }

  private MetadataException failure(String message, SQLException cause) {
    // the connection may be broken; the caller's retry gets a fresh one
    discardConnection();
    return new MetadataException(message + " at " + database.describe() + ": " + cause.getMessage(), cause);
  }

  private void discardConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.debug("Ignoring failure to close a key store connection", e);
      }
      connection = null;
    }
  }
}
