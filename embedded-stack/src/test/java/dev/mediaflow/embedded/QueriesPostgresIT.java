package dev.mediaflow.embedded;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented queries on PostgreSQL at 127.0.0.1:5432 (database {@code test}),
 * each run in a schema of its own. CI has this server; elsewhere the test is skipped with a
 * message saying why.
 */
class QueriesPostgresIT extends QueriesContract {
  @TempDir
  static Path dataDir;

  @BeforeAll
  static void start() throws Exception {
    startWithDataset(dataDir, TestPostgres.newSchemaUrlOrSkip());
  }
}
