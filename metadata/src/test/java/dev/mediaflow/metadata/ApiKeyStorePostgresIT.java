package dev.mediaflow.metadata;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract against PostgreSQL at {@code 127.0.0.1:5432}, database {@code test}, user
 * {@code postgres} ({@code -Dmediaflow.it.postgres.url} overrides), one schema per test. Skipped
 * with a message when no server answers.
 */
class ApiKeyStorePostgresIT extends ApiKeyStoreContract {
  private static final String URL = System.getProperty("mediaflow.it.postgres.url",
      "jdbc:postgresql://127.0.0.1:5432/test");
  private static final String USER = System.getProperty("mediaflow.it.postgres.user", "postgres");
  private static final List<String> SCHEMAS = new ArrayList<>();
  private static String skipReason;

  private MetadataDatabase database;

  @BeforeAll
  static void requirePostgres() {
    try (Connection probe = connect()) {
      probe.isValid(2);
    } catch (SQLException e) {
      skipReason = "SKIPPING ApiKeyStorePostgresIT: no PostgreSQL at " + URL + " (" + e.getMessage() + ")";
      System.err.println(skipReason);
    }
  }

  @AfterAll
  static void dropSchemas() throws SQLException {
    if (SCHEMAS.isEmpty()) {
      return;
    }
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String schema : SCHEMAS) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  @Override
  protected void createEmptyDatabase() {
    Assumptions.assumeTrue(skipReason == null, skipReason);
    String schema = "it_keys_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    SCHEMAS.add(schema);
    database = new MetadataDatabase(URL, USER, null, schema);
  }

  @Override
  protected MetadataDatabase database() {
    return database;
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(URL, USER, null);
  }
}
