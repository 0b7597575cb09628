package dev.mediaflow.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/** A schema registry call failed; {@link #status()} is the HTTP status, 0 when unreachable. */
public final class SchemaRegistryException extends SerializationException {
  private final int status;

  public SchemaRegistryException(String message, int status) {
    super(message);
    this.status = status;
  }

  public SchemaRegistryException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  public int status() {
    return status;
  }

  /**
   * True when the registry is away or refusing for now (unreachable, 5xx, 401/403, 408, 429):
   * the same call may succeed later, so the record must wait, not be dead-lettered. False for
   * an answer about the record itself (404: an unknown schema id; other 4xx).
   */
  public boolean isUnavailable() {
    return status == 0 || status >= 500 || status == 401 || status == 403 || status == 408 || status == 429;
  }

  /** True when {@code error} or one of its causes is a registry being {@linkplain #isUnavailable() unavailable}. */
  public static boolean isUnavailable(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof SchemaRegistryException registry && registry.isUnavailable()) {
        return true;
      }
    }
    return false;
  }
}
