package dev.mediaflow.sink.sql;

/** The metadata store could not complete an operation; retrying later may succeed. */
public class MetadataStoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public MetadataStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
