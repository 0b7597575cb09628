package dev.mediaflow.metadata;

import java.util.Arrays;

/**
 * A row of {@code api_key}: the key's description and the SHA-256 of its secret. Used by the
 * gateway to check a presented token; {@link #toString()} leaves the hash out.
 */
public final class StoredApiKey {
  private final ApiKey key;
  private final byte[] hash;

  public StoredApiKey(ApiKey key, byte[] hash) {
    this.key = key;
    this.hash = hash.clone();
  }

  public ApiKey key() {
    return key;
  }

  /** Whether {@code token} is this key (same id, secret with the stored hash; constant-time compare). */
  public boolean matches(ApiKeyToken token) {
    return token.id().equals(key.id()) & token.matches(hash);
  }

  byte[] hash() {
    return hash.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StoredApiKey that && key.equals(that.key) && Arrays.equals(hash, that.hash);
  }

  @Override
  public int hashCode() {
    return key.hashCode();
  }

  @Override
  public String toString() {
    return "StoredApiKey[" + key + "]";
  }
}
