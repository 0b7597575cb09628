package dev.mediaflow.ops.keys;

import dev.mediaflow.metadata.MetadataDatabase;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

class KeysCommandSqliteIT extends KeysCommandContract {
  @TempDir
  Path dir;

  @Override
  protected Map<String, String> freshDatabase() {
    return Map.of("MEDIAFLOW_SINK_JDBC_URL", url());
  }

  @Override
  protected MetadataDatabase database() {
    return new MetadataDatabase(url(), null, null, null);
  }

  private String url() {
    return "jdbc:sqlite:" + dir.resolve("metadata.db");
  }
}
