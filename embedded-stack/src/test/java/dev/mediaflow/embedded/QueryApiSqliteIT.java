package dev.mediaflow.embedded;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The query API's contract on SQLite (the store of the demo and {@code mediaflow up}). */
class QueryApiSqliteIT extends QueryApiContract {
  @TempDir
  static Path dataDir;

  @BeforeAll
  static void start() throws Exception {
    startWithDataset(dataDir, null);
  }
}
