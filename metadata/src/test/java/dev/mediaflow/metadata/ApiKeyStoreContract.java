package dev.mediaflow.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the API key store must do on every engine; subclasses supply the database. */
abstract class ApiKeyStoreContract {
  private static final long T0 = 1_700_000_000_123L;

  protected final AtomicLong millis = new AtomicLong(T0);
  protected ApiKeyStore store;

  /** Prepares a fresh, empty database (or schema) for the next test. */
  protected abstract void createEmptyDatabase() throws Exception;

  /** The database of the current test. */
  protected abstract MetadataDatabase database();

  @BeforeEach
  void openStoreOnEmptyDatabase() throws Exception {
    createEmptyDatabase();
    store = new ApiKeyStore(database(), clock());
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private Clock clock() {
    return new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
      }
    };
  }

  @Test
  void shouldApplyTheWholeSharedMigrationSet() throws SQLException {
    // When: the key store opened (see setup), then the same set is migrated again, as a second service does
    int again = database().migrate();

    // Then
    assertThat(again).isEqualTo(3);
    assertThat(queryStrings("SELECT version FROM flyway_schema_history WHERE version IS NOT NULL AND success = " + trueLiteral()
        + " ORDER BY installed_rank")).containsExactly("1", "2", "3");
    assertThat(queryStrings("SELECT COUNT(*) FROM media_item")).containsExactly("0");
  }

  @Test
  void shouldCreateAKeyThatIsFoundByIdAndMatchesOnlyItsOwnSecret() {
    // When
    NewApiKey created = store.create("vision", ApiKeyScope.WRITE, "cluster A");

    // Then
    ApiKeyToken token = ApiKeyToken.parse(created.plaintext()).orElseThrow();
    StoredApiKey stored = store.find(token.id()).orElseThrow();
    assertThat(stored.key()).isEqualTo(new ApiKey(token.id(), "vision", ApiKeyScope.WRITE, "cluster A",
        Instant.ofEpochMilli(T0), null));
    assertThat(stored.matches(token)).isTrue();
    assertThat(stored.matches(ApiKeyToken.generate(new java.security.SecureRandom()))).isFalse();
    assertThat(store.find("0000000000000000")).isEmpty();
  }

  @Test
  void shouldStoreOnlyTheHashOfTheSecret() throws SQLException {
    // Given
    NewApiKey created = store.create("*", ApiKeyScope.READ, null);
    String secret = created.plaintext().substring(20);

    // When
    List<String> rows = queryStrings("SELECT id || '|' || hash || '|' || project || '|' || scope FROM api_key");

    // Then
    String hash = HexFormat.of().formatHex(ApiKeyToken.parse(created.plaintext()).orElseThrow().secretHash());
    assertThat(rows).containsExactly(created.key().id() + "|" + hash + "|*|read");
    assertThat(rows.get(0)).doesNotContain(secret);
  }

  @Test
  void shouldListEveryKeyOldestFirstWithItsRevocation() {
    // Given
    NewApiKey first = store.create("a", ApiKeyScope.WRITE, "first");
    millis.addAndGet(1_000);
    NewApiKey second = store.create("b", ApiKeyScope.READ, null);
    millis.addAndGet(1_000);
    store.revoke(first.key().id());

    // When
    List<ApiKey> keys = store.list();

    // Then
    assertThat(keys).extracting(ApiKey::id).containsExactly(first.key().id(), second.key().id());
    assertThat(keys.get(0).revokedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 2_000));
    assertThat(keys.get(1).isRevoked()).isFalse();
    assertThat(keys.get(1).label()).isNull();
  }

  @Test
  void shouldKeepTheFirstRevocationTimeAndAnswerEmptyForAnUnknownId() {
    // Given
    NewApiKey created = store.create("a", ApiKeyScope.WRITE, null);
    ApiKey revoked = store.revoke(created.key().id()).orElseThrow();
    millis.addAndGet(60_000);

    // When
    ApiKey again = store.revoke(created.key().id()).orElseThrow();

    // Then
    assertThat(revoked.revokedAt()).isEqualTo(Instant.ofEpochMilli(T0));
    assertThat(again.revokedAt()).isEqualTo(revoked.revokedAt());
    assertThat(store.find(created.key().id()).orElseThrow().key().isRevoked()).isTrue();
    assertThat(store.revoke("0000000000000000")).isEmpty();
  }

  @Test
  void shouldSeeKeysWrittenByAnotherStoreOnTheSameDatabase() {
    // Given: ops-cli and the gateway each open their own store
    NewApiKey created = store.create("a", ApiKeyScope.WRITE, null);

    // When
    try (ApiKeyStore other = new ApiKeyStore(database(), Clock.systemUTC())) {
      other.revoke(created.key().id());
    }

    // Then
    assertThat(store.find(created.key().id()).orElseThrow().key().isRevoked()).isTrue();
  }

  protected String trueLiteral() {
    return "true";
  }

  private List<String> queryStrings(String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = database().connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        out.add(r.getString(1));
      }
    }
    return out;
  }
}
