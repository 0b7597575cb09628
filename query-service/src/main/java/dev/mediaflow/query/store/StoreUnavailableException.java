package dev.mediaflow.query.store;

/** The metadata store or S3 could not answer (a 503 of the API). */
public final class StoreUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
