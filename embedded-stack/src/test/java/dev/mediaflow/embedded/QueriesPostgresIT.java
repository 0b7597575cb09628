package dev.mediaflow.embedded;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented queries on PostgreSQL at 127.0.0.1:5432 (database {@code test}),
 * each run in a schema of its own. CI has this server; elsewhere the test is skipped with a
 * message saying why.
 */
class QueriesPostgresIT extends QueriesContract {
  static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  @TempDir
  static Path dataDir;

  @BeforeAll
  static void start() throws Exception {
    String schema = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(SERVER); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      System.err.println("SKIPPED: PostgreSQL at 127.0.0.1:5432 is unreachable: " + e.getMessage());
      assumeTrue(false, "PostgreSQL at 127.0.0.1:5432 is unreachable: " + e.getMessage());
    }
    startWithDataset(dataDir, SERVER + "&currentSchema=" + schema);
  }
}
