package dev.mediaflow.metadata;

/**
 * A key just created: its description and the one copy of the whole key there will ever be
 * (only its hash is stored). {@link #toString()} masks the secret.
 */
public final class NewApiKey {
  private final ApiKey key;
  private final ApiKeyToken token;

  NewApiKey(ApiKey key, ApiKeyToken token) {
    this.key = key;
    this.token = token;
  }

  public ApiKey key() {
    return key;
  }

  /** The key to hand to the client, {@code mf_<id>_<secret>}; show it once, never log it. */
  public String plaintext() {
    return token.plaintext();
  }

  @Override
  public String toString() {
    return "NewApiKey[" + token + ", " + key + "]";
  }
}
