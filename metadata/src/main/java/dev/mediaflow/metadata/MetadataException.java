package dev.mediaflow.metadata;

/**
 * The metadata store could not complete an operation (unreachable, cannot be migrated, a
 * statement failed); the cause is the driver's {@link java.sql.SQLException} or Flyway's error.
 */
public class MetadataException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public MetadataException(String message, Throwable cause) {
    super(message, cause);
  }
}
