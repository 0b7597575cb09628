package dev.mediaflow.sink.sql;

/**
 * The metadata store could not complete an operation; the cause is the driver's
 * {@link java.sql.SQLException}, whose SQLState (or SQLite result code) tells a refused row from
 * an outage (see {@link dev.mediaflow.sink.StoreFailure#classify}).
 */
public class MetadataStoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public MetadataStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
