package dev.mediaflow.metadata;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class ApiKeyStoreSqliteIT extends ApiKeyStoreContract {
  @TempDir
  Path dataDir;

  private MetadataDatabase database;

  @Override
  protected void createEmptyDatabase() {
    database = new MetadataDatabase("jdbc:sqlite:" + dataDir.resolve("metadata.db"), null, null, null);
  }

  @Override
  protected MetadataDatabase database() {
    return database;
  }

  @Override
  protected String trueLiteral() {
    return "1";
  }
}
