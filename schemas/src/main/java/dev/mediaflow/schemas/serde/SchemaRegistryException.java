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
}
