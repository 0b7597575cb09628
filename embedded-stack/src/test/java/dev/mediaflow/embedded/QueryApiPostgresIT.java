package dev.mediaflow.embedded;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query API's contract on PostgreSQL (127.0.0.1:5432, a schema of its own): the same SQL as
 * on SQLite. Skipped with a message when PostgreSQL is unreachable.
 */
class QueryApiPostgresIT extends QueryApiContract {
  @TempDir
  static Path dataDir;

  @BeforeAll
  static void start() throws Exception {
    startWithDataset(dataDir, TestPostgres.newSchemaUrlOrSkip());
  }
}
