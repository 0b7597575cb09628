package dev.mediaflow.sink.s3;

/**
 * The object store could not complete an operation; the cause holds what the store or the
 * client said (see {@link dev.mediaflow.sink.StoreFailure#classify}).
 */
public class ObjectStoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ObjectStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
