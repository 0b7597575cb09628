package dev.mediaflow.embedded;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The documented queries on the embedded default store, SQLite. */
class QueriesSqliteIT extends QueriesContract {
  @TempDir
  static Path dataDir;

  @BeforeAll
  static void start() throws Exception {
    startWithDataset(dataDir, null);
  }
}
