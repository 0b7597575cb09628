package dev.mediaflow.metadata;

import java.util.Locale;

/** What an API key may do: {@code write} (log calls) or {@code read} (reading endpoints only). */
public enum ApiKeyScope {
  WRITE, READ;

  /** The name stored in {@code api_key.scope} and used on the command line. */
  public String sqlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The scope named {@code write} or {@code read}.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static ApiKeyScope parse(String name) {
    for (ApiKeyScope scope : values()) {
      if (scope.sqlName().equals(name)) {
        return scope;
      }
    }
    throw new IllegalArgumentException("scope must be write or read, not " + name);
  }

  @Override
  public String toString() {
    return sqlName();
  }
}
