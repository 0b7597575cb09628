package dev.mediaflow.sink.sql;

import static dev.mediaflow.sink.TestEvents.identity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.sink.MediaRows;
import dev.mediaflow.sink.ObjectKeys;
import dev.mediaflow.sink.TestEvents;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataStoreSqliteIT extends MetadataStoreContract {

  @TempDir
  Path dataDir;

  private Path file;

  @Override
  protected void createEmptyDatabase() {
    // a sub-directory that does not exist yet: the store creates it
    file = dataDir.resolve("metadata").resolve("media.db");
  }

  @Override
  protected MetadataStore openStore() {
    return new MetadataStore(url());
  }

  @Override
  protected Connection reader() throws SQLException {
    return DriverManager.getConnection(url());
  }

  @Test
  void shouldUseWriteAheadLogging() throws SQLException {
    // Given a store is open on the file (see setup)

    // When
    String journalMode = queryOneString("PRAGMA journal_mode");

    // Then
    assertThat(journalMode).isEqualToIgnoringCase("wal");
    assertThat(Files.exists(file)).isTrue();
  }

  @Test
  void shouldLetAnotherConnectionReadRowsWhileTheStoreIsOpen() throws SQLException {
    // Given
    ProcessedMedia event = TestEvents.image(identity());
    store.upsert(MediaRows.from(event, new ObjectKeys().keysFor(event), 1L));

    // When
    String objectKey = queryOneString("SELECT object_key FROM media_item");

    // Then
    assertThat(objectKey).isEqualTo("media/vision/run-1/examples/000000000042/3.png");
  }

  @Test
  void shouldWaitForAnotherWriterInsteadOfFailing() throws Exception {
    // Given another connection holds the write lock for a while
    ProcessedMedia first = TestEvents.image(identity("p", "r", "k", 1, 0));
    ProcessedMedia second = TestEvents.image(identity("p", "r", "k", 1, 1));
    CompletableFuture<Void> otherWriter;
    try (Connection other = DriverManager.getConnection(url())) {
      other.setAutoCommit(false);
      try (Statement statement = other.createStatement()) {
        statement.executeUpdate("DELETE FROM media_item");
      }
      otherWriter = CompletableFuture.runAsync(() -> commitLater(other, 500));

      // When
      long begin = System.nanoTime();
      store.upsert(MediaRows.from(first, new ObjectKeys().keysFor(first), 1L));
      store.upsert(MediaRows.from(second, new ObjectKeys().keysFor(second), 1L));
      long waitedMs = (System.nanoTime() - begin) / 1_000_000;
      otherWriter.get();

      // Then
      assertThat(waitedMs).isBetween(300L, (long) MetadataStore.SQLITE_BUSY_TIMEOUT_MS);
      assertThat(store.count()).isEqualTo(2);
    }
  }

  @Test
  void shouldTakeItsMigrationsFromTheSharedMetadataModuleOnly() throws Exception {
    // Given: gateway, sink and ops-cli must migrate with the same set, or Flyway would find a
    // version applied by one that another does not know

    // When
    List<URL> locations = Collections.list(getClass().getClassLoader().getResources("db/migration"));

    // Then
    assertThat(locations).singleElement().satisfies(url -> assertThat(url.toString()).contains("metadata"));
    assertThat(queryOneString("SELECT COUNT(*) FROM api_key")).isEqualTo("0");
  }

  @Test
  void shouldRejectAnInMemoryDatabase() {
    // When / Then
    assertThatThrownBy(() -> new MetadataStore("jdbc:sqlite::memory:"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SQLite file");
  }

  private static void commitLater(Connection connection, long delayMs) {
    try {
      Thread.sleep(delayMs);
      connection.commit();
    } catch (InterruptedException | SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private String queryOneString(String sql) throws SQLException {
    try (Connection reader = DriverManager.getConnection(url());
        Statement statement = reader.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      assertThat(result.next()).isTrue();
      return result.getString(1);
    }
  }

  private String url() {
    return "jdbc:sqlite:" + file;
  }
}
