package dev.mediaflow.sink;

import dev.mediaflow.schemas.serde.SchemaRegistryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * What a failed write (or read, for the schema registry) means for the item, decided from what
 * the store said (HTTP status and error code of S3 or the registry, SQLState or SQLite result
 * code of the SQL store), never from an exception's class alone.
 *
 * <ul>
 *   <li>{@link Kind#PERMANENT}: the store refused this item and would refuse it again (an S3 400
 *       such as {@code KeyTooLongError}, an SQL data exception or constraint violation, or our
 *       own {@link UnstorableItemException}). Dead-letter the item and go on.
 *   <li>{@link Kind#TRANSIENT}: the store is away, overloaded or misconfigured (5xx, 408, 429,
 *       throttling, timeouts, connection loss and other I/O errors, SQL classes 08/40/53/57, SQLite BUSY/LOCKED; and
 *       401/403/404/409 or a wrong SQL schema, which are the same for every item). Retry.
 *   <li>{@link Kind#UNKNOWN}: nothing recognisable in the cause chain. Retried like a transient
 *       failure, but logged loudly: dead-lettering what we do not understand could drain a
 *       whole topic into the dead-letter topic because of a bug or a misconfiguration, whereas
 *       a retry keeps every item where it is and the stall is visible (one partition, in the
 *       logs and in {@code mediaflow_sink_partitions_waiting}).
 * </ul>
 *
 * @param kind what to do with the item
 * @param reason which store said what, for logs and the dead letter's reason
 */
public record StoreFailure(Kind kind, String reason) {

  /** What to do with an item whose write failed. */
  public enum Kind {
    /** Dead-letter the item: the store will never take it as it is. */
    PERMANENT,
    /** Retry the item: the store may take it later. */
    TRANSIENT,
    /** Retry the item, and tell an operator: the failure was not recognised. */
    UNKNOWN
  }

  /**
   * S3 error codes that come with a 4xx but speak of the credentials, the bucket or the
   * request's timing, not of the object: every item would get them.
   */
  private static final Set<String> ENVIRONMENT_S3_CODES = Set.of(
      "AccessDenied", "AccountProblem", "AllAccessDisabled", "AuthorizationHeaderMalformed", "ExpiredToken",
      "InvalidAccessKeyId", "InvalidBucketName", "InvalidBucketState", "InvalidToken", "NoSuchBucket",
      "RequestTimeout", "RequestTimeTooSkewed", "SignatureDoesNotMatch", "SlowDown", "TokenRefreshRequired");
  /** HTTP statuses of S3 that are about the environment (auth, bucket, conflicts), not the object. */
  private static final Set<Integer> ENVIRONMENT_S3_STATUSES = Set.of(401, 403, 404, 408, 409, 429);
  /** SQLState classes that blame the data of one row: 22 data exception, 23 integrity constraint. */
  private static final Set<String> PERMANENT_SQL_CLASSES = Set.of("22", "23");
  /** SQLite primary result codes that blame the row: the rest (BUSY, LOCKED, IOERR, FULL...) pass. */
  private static final Set<SQLiteErrorCode> PERMANENT_SQLITE_CODES = Set.of(
      SQLiteErrorCode.SQLITE_CONSTRAINT, SQLiteErrorCode.SQLITE_TOOBIG, SQLiteErrorCode.SQLITE_MISMATCH,
      SQLiteErrorCode.SQLITE_RANGE);
  private static final int MAX_CAUSES = 16;

  /** Whether the item should be dead-lettered rather than retried. */
  public boolean permanent() {
    return kind == Kind.PERMANENT;
  }

  /**
   * Classifies a failure of {@link MediaSink#write}: the first cause in the chain that says
   * something (our own check, an S3 answer, an S3 client error, an SQL error) decides.
   */
  public static StoreFailure classify(Throwable error) {
    Throwable cause = error;
    for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
      if (cause instanceof UnstorableItemException) {
        return new StoreFailure(Kind.PERMANENT, "sink refused the item: " + cause.getMessage());
      }
      if (cause instanceof AwsServiceException s3) {
        return s3(s3);
      }
      if (cause instanceof SchemaRegistryException registry) {
        return registry(registry);
      }
      if (cause instanceof SdkClientException client) {
        // no answer from S3: connection refused or lost, timeout, I/O
        return new StoreFailure(Kind.TRANSIENT, "S3 unreachable: " + client.getMessage());
      }
      if (cause instanceof SQLException sql) {
        return sql(sql);
      }
      if (cause instanceof IOException || cause instanceof UncheckedIOException) {
        // e.g. the URL-connection client's bare UncheckedIOException for a closed keep-alive connection
        return new StoreFailure(Kind.TRANSIENT, "I/O error talking to a store: " + cause.getMessage());
      }
    }
    return new StoreFailure(Kind.UNKNOWN, "unrecognised failure: " + error + describeRoot(error));
  }

  private static String describeRoot(Throwable error) {
    Throwable root = error;
    for (int depth = 0; root.getCause() != null && depth < MAX_CAUSES; depth++) {
      root = root.getCause();
    }
    return root == error ? "" : " (root cause: " + root + ")";
  }

  private static StoreFailure s3(AwsServiceException e) {
    int status = e.statusCode();
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String said = "S3 answered HTTP " + status + (code == null ? "" : " " + code) + ": "
        + (e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage());
    boolean objectRefused = status >= 400 && status < 500
        && !ENVIRONMENT_S3_STATUSES.contains(status)
        && !ENVIRONMENT_S3_CODES.contains(code)
        && !e.isThrottlingException() && !e.isClockSkewException();
    return new StoreFailure(objectRefused ? Kind.PERMANENT : Kind.TRANSIENT, said);
  }

  /**
   * The registry is needed to read a record: unreachable, 5xx, 401/403, 408 or 429 waits; 404
   * (an unknown schema id) and other 4xx never pass.
   */
  private static StoreFailure registry(SchemaRegistryException e) {
    return new StoreFailure(e.isUnavailable() ? Kind.TRANSIENT : Kind.PERMANENT, "schema registry: " + e.getMessage());
  }

  private static StoreFailure sql(SQLException e) {
    if (e instanceof SQLiteException sqlite) {
      SQLiteErrorCode code = primary(sqlite.getResultCode());
      return new StoreFailure(PERMANENT_SQLITE_CODES.contains(code) ? Kind.PERMANENT : Kind.TRANSIENT,
          "SQLite answered " + code + ": " + e.getMessage());
    }
    String state = e.getSQLState();
    String said = "SQL store answered SQLState " + state + ": " + e.getMessage();
    if (e instanceof SQLTransientException || e instanceof SQLRecoverableException
        || state == null || state.length() < 2) {
      return new StoreFailure(Kind.TRANSIENT, said);
    }
    // class 42 (syntax, undefined table, privileges) is our statement or schema, the same for
    // every row: retried, never a reason to dead-letter the item
    return new StoreFailure(PERMANENT_SQL_CLASSES.contains(state.substring(0, 2)) ? Kind.PERMANENT : Kind.TRANSIENT,
        said);
  }

  /** SQLite's extended codes (e.g. SQLITE_CONSTRAINT_NOTNULL) reduced to their primary code. */
  private static SQLiteErrorCode primary(SQLiteErrorCode code) {
    return SQLiteErrorCode.getErrorCode(code.code & 0xFF);
  }
}
