package dev.mediaflow.embedded;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The image pipeline end to end with the embedded default store, SQLite. */
class ImagePipelineSqliteIT extends ImagePipelineContract {
  @TempDir
  static Path dataDir;

  @BeforeAll
  static void start() {
    startStack(dataDir, null);
  }
}
