package dev.mediaflow.embedded;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL server the ITs use (127.0.0.1:5432, database {@code test}, trust auth): CI has
 * it; elsewhere a test that needs it is skipped with a message saying why.
 */
final class TestPostgres {
  static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  private TestPostgres() {}

  /** A JDBC URL on a new schema of its own, so runs never see each other's rows; skips the test when unreachable. */
  static String newSchemaUrlOrSkip() {
    String schema = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(SERVER); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      System.err.println("SKIPPED: PostgreSQL at 127.0.0.1:5432 is unreachable: " + e.getMessage());
      assumeTrue(false, "PostgreSQL at 127.0.0.1:5432 is unreachable: " + e.getMessage());
    }
    return SERVER + "&currentSchema=" + schema;
  }
}
