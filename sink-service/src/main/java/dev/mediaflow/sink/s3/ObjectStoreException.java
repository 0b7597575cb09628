package dev.mediaflow.sink.s3;

/** The object store could not complete an operation; retrying later may succeed. */
public class ObjectStoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ObjectStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
