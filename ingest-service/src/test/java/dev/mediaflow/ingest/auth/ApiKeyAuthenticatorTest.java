package dev.mediaflow.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.metadata.ApiKey;
import dev.mediaflow.metadata.ApiKeyScope;
import dev.mediaflow.metadata.ApiKeyToken;
import dev.mediaflow.metadata.StoredApiKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ApiKeyAuthenticatorTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration TTL = Duration.ofSeconds(2);

  private final Map<String, StoredApiKey> store = new HashMap<>();
  private final AtomicInteger lookups = new AtomicInteger();
  private final AtomicLong nanos = new AtomicLong(1_000);
  private volatile boolean storeDown;
  private final ApiKeyAuthenticator auth = new ApiKeyAuthenticator(id -> {
    lookups.incrementAndGet();
    if (storeDown) {
      throw new IllegalStateException("connection refused");
    }
    return Optional.ofNullable(store.get(id));
  }, TTL, nanos::get);

  private String key(String project, ApiKeyScope scope) {
    ApiKeyToken token = ApiKeyToken.generate(RANDOM);
    store.put(token.id(), new StoredApiKey(
        new ApiKey(token.id(), project, scope, null, Instant.EPOCH, null), token.secretHash()));
    return token.plaintext();
  }

  private void revoke(String plaintext) {
    String id = ApiKeyToken.parse(plaintext).orElseThrow().id();
    StoredApiKey old = store.get(id);
    ApiKey k = old.key();
    store.put(id, new StoredApiKey(new ApiKey(k.id(), k.project(), k.scope(), k.label(), k.createdAt(),
        Instant.ofEpochSecond(60)), ApiKeyToken.parse(plaintext).orElseThrow().secretHash()));
  }

  @Test
  void shouldAllowAWriteKeyOfTheProject() {
    String key = key("vision", ApiKeyScope.WRITE);

    assertThat(auth.authorize("Bearer " + key, "vision").isAllowed()).isTrue();
    assertThat(auth.authorize("bearer  " + key + " ", "vision").isAllowed()).as("scheme case, spaces").isTrue();
  }

  @Test
  void shouldLetReadAndWriteKeysReadButOnlyTheirProjectWhenBuiltForReading() {
    ApiKeyAuthenticator reading = new ApiKeyAuthenticator(id -> Optional.ofNullable(store.get(id)), TTL, nanos::get,
        ApiKeyAuthenticator.Access.READ);
    String read = key("vision", ApiKeyScope.READ);
    String write = key("vision", ApiKeyScope.WRITE);

    assertThat(reading.authorize("Bearer " + read, "vision").isAllowed()).isTrue();
    assertThat(reading.authorize("Bearer " + write, "vision").isAllowed()).isTrue();
    assertThat(reading.authorize("Bearer " + read, "audio")).satisfies(r -> {
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.message()).contains("may not read project \"audio\"");
    });
    assertThat(auth.authorize("Bearer " + read, "vision").status()).as("logging still needs a write key").isEqualTo(403);
  }

  @Test
  void shouldAllowAStarKeyOnEveryProject() {
    String key = key("*", ApiKeyScope.WRITE);

    assertThat(auth.authorize("Bearer " + key, "vision").isAllowed()).isTrue();
    assertThat(auth.authorize("Bearer " + key, "audio").isAllowed()).isTrue();
  }

  @Test
  void shouldAnswer401WithoutAKeyOrWithOneThatIsNotAKey() {
    assertThat(auth.authorize(null, "p")).satisfies(r -> {
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.message()).contains("missing API key", "Authorization: Bearer");
    });
    assertThat(auth.authorize("Basic dXNlcjpwdw==", "p").status()).isEqualTo(401);
    assertThat(auth.authorize("Bearer not-a-key", "p")).satisfies(r -> {
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.message()).contains("malformed").doesNotContain("not-a-key");
    });
    assertThat(lookups).hasValue(0);
  }

  @Test
  void shouldAnswer401ForAnUnknownIdAndForAWrongSecretAlike() {
    // Given
    String known = key("p", ApiKeyScope.WRITE);
    String id = ApiKeyToken.parse(known).orElseThrow().id();
    String wrongSecret = "mf_" + id + "_" + ApiKeyToken.generate(RANDOM).plaintext().substring(20);
    String unknown = ApiKeyToken.generate(RANDOM).plaintext();

    // When
    AuthResult wrong = auth.authorize("Bearer " + wrongSecret, "p");
    AuthResult missing = auth.authorize("Bearer " + unknown, "p");

    // Then: the same answer, naming the id only, never the secret
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(missing.status()).isEqualTo(401);
    assertThat(wrong.message()).isEqualTo("unknown API key " + id + " (no key with this id and secret)");
    assertThat(wrong.message()).doesNotContain(wrongSecret.substring(20));
    assertThat(missing.message()).doesNotContain(unknown.substring(20));
  }

  @Test
  void shouldCompareAgainstADummyHashWhenTheIdIsUnknown() {
    // the constant-time path: both branches hash and compare; neither matches by accident
    ApiKeyToken token = ApiKeyToken.generate(RANDOM);

    assertThat(ApiKeyAuthenticator.secretMatches(token, Optional.empty())).isFalse();
    assertThat(ApiKeyAuthenticator.secretMatches(token, Optional.of(new StoredApiKey(
        new ApiKey(token.id(), "p", ApiKeyScope.WRITE, null, Instant.EPOCH, null), new byte[32])))).isFalse();
  }

  @Test
  void shouldAnswer403ForAKeyOfAnotherProject() {
    String key = key("A", ApiKeyScope.WRITE);

    AuthResult result = auth.authorize("Bearer " + key, "B");

    assertThat(result.status()).isEqualTo(403);
    assertThat(result.message()).contains("\"B\"", "\"A\"");
  }

  @Test
  void shouldAnswer403ForAReadKeyOnTheWriteEndpoint() {
    String key = key("A", ApiKeyScope.READ);

    AuthResult result = auth.authorize("Bearer " + key, "A");

    assertThat(result.status()).isEqualTo(403);
    assertThat(result.message()).contains("scope read", "write key");
  }

  @Test
  void shouldRefuseARevokedKeyOnceTheCacheTimeHasPassedAndNotLater() {
    // Given a key that worked (its row is now cached)
    String key = key("p", ApiKeyScope.WRITE);
    assertThat(auth.authorize("Bearer " + key, "p").isAllowed()).isTrue();

    // When it is revoked in the store
    revoke(key);
    nanos.addAndGet(TTL.toNanos() - 1);
    AuthResult withinTtl = auth.authorize("Bearer " + key, "p");
    nanos.addAndGet(1);
    AuthResult afterTtl = auth.authorize("Bearer " + key, "p");

    // Then
    assertThat(withinTtl.isAllowed()).as("cached for up to %s", TTL).isTrue();
    assertThat(afterTtl.status()).isEqualTo(401);
    assertThat(afterTtl.message()).contains("revoked");
    assertThat(lookups).hasValue(2);
  }

  @Test
  void shouldReadTheStoreOncePerKeyPerCachePeriod() {
    String key = key("p", ApiKeyScope.WRITE);

    for (int i = 0; i < 100; i++) {
      auth.authorize("Bearer " + key, "p");
    }

    assertThat(lookups).hasValue(1);
  }

  @Test
  void shouldSeeAKeyCreatedAfterItsIdWasTriedOnceTheCacheTimeHasPassed() {
    // Given an id tried before it exists ("no such id" is cached too)
    ApiKeyToken token = ApiKeyToken.generate(RANDOM);
    assertThat(auth.authorize("Bearer " + token.plaintext(), "p").status()).isEqualTo(401);
    store.put(token.id(), new StoredApiKey(new ApiKey(token.id(), "p", ApiKeyScope.WRITE, null, Instant.EPOCH, null),
        token.secretHash()));

    // When
    nanos.addAndGet(TTL.toNanos());

    // Then
    assertThat(auth.authorize("Bearer " + token.plaintext(), "p").isAllowed()).isTrue();
  }

  @Test
  void shouldFailClosedWith503WhenTheStoreCannotBeRead() {
    String key = key("p", ApiKeyScope.WRITE);
    storeDown = true;

    AuthResult result = auth.authorize("Bearer " + key, "p");

    assertThat(result.status()).isEqualTo(503);
    assertThat(result.message()).contains("key store unavailable");
  }

  @Test
  void shouldBoundTheCacheAgainstAFloodOfMadeUpIds() {
    for (int i = 0; i < ApiKeyAuthenticator.MAX_CACHED + 500; i++) {
      auth.authorize("Bearer " + ApiKeyToken.generate(RANDOM).plaintext(), "p");
    }

    assertThat(auth.cachedIds()).isEqualTo(ApiKeyAuthenticator.MAX_CACHED);
  }

  @Test
  void shouldLetEverythingThroughWithAllowAll() {
    assertThat(Authenticator.ALLOW_ALL.authorize(null, "p")).isEqualTo(AuthResult.allowed());
    assertThat(AuthResult.allowed().status()).isEqualTo(200);
  }
}
