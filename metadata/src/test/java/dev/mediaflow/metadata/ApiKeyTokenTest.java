package dev.mediaflow.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyTokenTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void shouldGenerateKeysOfTheDocumentedFormatWith256BitSecrets() {
    // When
    ApiKeyToken token = ApiKeyToken.generate(RANDOM);

    // Then
    String key = token.plaintext();
    assertThat(key).matches("mf_[0-9a-f]{16}_[A-Za-z0-9_-]{43}").startsWith("mf_" + token.id() + "_");
    String secret = key.substring(("mf_" + token.id() + "_").length());
    assertThat(Base64.getUrlDecoder().decode(secret)).hasSize(32);
  }

  @Test
  void shouldNeverGenerateTheSameKeyTwice() {
    // When
    Set<String> ids = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      ApiKeyToken token = ApiKeyToken.generate(RANDOM);
      ids.add(token.id());
      keys.add(token.plaintext());
    }

    // Then
    assertThat(ids).hasSize(1_000);
    assertThat(keys).hasSize(1_000);
  }

  @Test
  void shouldParseWhatItGeneratesEvenWhenTheSecretHoldsUnderscores() {
    // Given a secret with '_' and '-' (URL-safe base64), which must not confuse the id split
    String key = "mf_0123456789abcdef_" + "a_b-".repeat(10) + "xyz";

    // When
    ApiKeyToken parsed = ApiKeyToken.parse(key).orElseThrow();
    ApiKeyToken generated = ApiKeyToken.generate(RANDOM);

    // Then
    assertThat(parsed.id()).isEqualTo("0123456789abcdef");
    assertThat(parsed.plaintext()).isEqualTo(key);
    assertThat(ApiKeyToken.parse(generated.plaintext()).orElseThrow().plaintext()).isEqualTo(generated.plaintext());
  }

  @Test
  void shouldRefuseTextThatIsNotAKey() {
    String valid = ApiKeyToken.generate(RANDOM).plaintext();

    assertThat(ApiKeyToken.parse(null)).isEmpty();
    assertThat(ApiKeyToken.parse("")).isEmpty();
    assertThat(ApiKeyToken.parse(valid.substring(0, valid.length() - 1))).as("secret one short").isEmpty();
    assertThat(ApiKeyToken.parse(valid + "A")).as("secret one long").isEmpty();
    assertThat(ApiKeyToken.parse("xx" + valid.substring(2))).as("wrong prefix").isEmpty();
    assertThat(ApiKeyToken.parse(valid + "\n")).as("trailing newline").isEmpty();
    assertThat(ApiKeyToken.parse(valid.replace("mf_", "mf_X"))).as("id not hex").isEmpty();
  }

  @Test
  void shouldHashTheSecretWithSha256AndKeepNoCopyOfItInTheHash() throws Exception {
    // Given
    ApiKeyToken token = ApiKeyToken.generate(RANDOM);
    String secret = token.plaintext().substring(20);

    // When
    byte[] hash = token.secretHash();

    // Then
    assertThat(hash).isEqualTo(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    assertThat(token.matches(hash)).isTrue();
  }

  @Test
  void shouldRefuseAHashThatDiffersInAnyByte() {
    // Given: the constant-time comparison must still compare every byte
    ApiKeyToken token = ApiKeyToken.generate(RANDOM);
    byte[] firstDiffers = token.secretHash();
    firstDiffers[0] ^= 1;
    byte[] lastDiffers = token.secretHash();
    lastDiffers[31] ^= (byte) 0x80;

    // Then
    assertThat(token.matches(firstDiffers)).isFalse();
    assertThat(token.matches(lastDiffers)).isFalse();
    assertThat(token.matches(new byte[0])).isFalse();
    assertThat(token.matches(ApiKeyToken.generate(RANDOM).secretHash())).isFalse();
  }

  @Test
  void shouldMaskTheSecretInEveryToString() {
    // Given
    ApiKeyToken token = ApiKeyToken.generate(RANDOM);
    ApiKey key = new ApiKey(token.id(), "p", ApiKeyScope.WRITE, null, java.time.Instant.EPOCH, null);
    String secret = token.plaintext().substring(20);

    // Then
    assertThat(token.toString()).isEqualTo("mf_" + token.id() + "_****").doesNotContain(secret);
    assertThat(new NewApiKey(key, token).toString()).contains(token.id()).doesNotContain(secret);
    assertThat(new StoredApiKey(key, token.secretHash()).toString())
        .doesNotContain(secret).doesNotContain(java.util.HexFormat.of().formatHex(token.secretHash()));
  }

  @Test
  void shouldMatchAStoredKeyOnlyWithItsOwnIdAndSecret() {
    // Given
    ApiKeyToken token = ApiKeyToken.generate(RANDOM);
    StoredApiKey stored = new StoredApiKey(
        new ApiKey(token.id(), "p", ApiKeyScope.WRITE, null, java.time.Instant.EPOCH, null), token.secretHash());
    ApiKeyToken sameSecretOtherId = ApiKeyToken.parse("mf_ffffffffffffffff_" + token.plaintext().substring(20))
        .orElseThrow();

    // Then
    assertThat(stored.matches(token)).isTrue();
    assertThat(stored.matches(sameSecretOtherId)).isFalse();
    assertThat(stored.matches(ApiKeyToken.generate(RANDOM))).isFalse();
  }

  @Test
  void shouldParseScopesByTheirLowerCaseNamesOnly() {
    assertThat(ApiKeyScope.parse("write")).isEqualTo(ApiKeyScope.WRITE);
    assertThat(ApiKeyScope.parse("read")).isEqualTo(ApiKeyScope.READ);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ApiKeyScope.parse("admin"))
        .hasMessageContaining("write or read");
  }
}
