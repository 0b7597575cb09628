package dev.mediaflow.ops.keys;

import dev.mediaflow.metadata.MetadataDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The same commands against PostgreSQL at {@code 127.0.0.1:5432} (database {@code test}, user
 * {@code postgres}), one schema per test, named the way the services take it
 * ({@code MEDIAFLOW_SINK_JDBC_SCHEMA}); skipped with a message when no server answers.
 */
class KeysCommandPostgresIT extends KeysCommandContract {
  private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final String USER = "postgres";
  private static final List<String> SCHEMAS = new ArrayList<>();
  private static String skipReason;

  private String schema;

  @BeforeAll
  static void requirePostgres() {
    try (Connection probe = DriverManager.getConnection(URL, USER, null)) {
      probe.isValid(2);
    } catch (SQLException e) {
      skipReason = "SKIPPING KeysCommandPostgresIT: no PostgreSQL at " + URL + " (" + e.getMessage() + ")";
      System.err.println(skipReason);
    }
  }

  @AfterAll
  static void dropSchemas() throws SQLException {
    if (SCHEMAS.isEmpty()) {
      return;
    }
    try (Connection c = DriverManager.getConnection(URL, USER, null); Statement s = c.createStatement()) {
      for (String name : SCHEMAS) {
        s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
      }
    }
  }

  @Override
  protected Map<String, String> freshDatabase() {
    Assumptions.assumeTrue(skipReason == null, skipReason);
    schema = "it_opskeys_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    SCHEMAS.add(schema);
    return Map.of("MEDIAFLOW_SINK_JDBC_URL", URL, "MEDIAFLOW_SINK_JDBC_USER", USER,
        "MEDIAFLOW_SINK_JDBC_SCHEMA", schema);
  }

  @Override
  protected MetadataDatabase database() {
    return new MetadataDatabase(URL, USER, null, schema);
  }
}
