package dev.mediaflow.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.schemas.serde.SchemaRegistryException;
import dev.mediaflow.sink.StoreFailure.Kind;
import dev.mediaflow.sink.s3.ObjectStoreException;
import dev.mediaflow.sink.sql.MetadataStoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class StoreFailureTest {

  @ParameterizedTest(name = "S3 {0} {1} -> {2}")
  @CsvSource({
      "400, KeyTooLongError, PERMANENT",
      "400, InvalidArgument, PERMANENT",
      "400, BadDigest, PERMANENT",
      "400, MetadataTooLarge, PERMANENT",
      "413, EntityTooLarge, PERMANENT",
      "400, RequestTimeout, TRANSIENT",
      "400, ExpiredToken, TRANSIENT",
      "400, AuthorizationHeaderMalformed, TRANSIENT",
      "401, Unauthorized, TRANSIENT",
      "403, AccessDenied, TRANSIENT",
      "403, SignatureDoesNotMatch, TRANSIENT",
      "404, NoSuchBucket, TRANSIENT",
      "408, RequestTimeout, TRANSIENT",
      "409, OperationAborted, TRANSIENT",
      "429, TooManyRequests, TRANSIENT",
      "500, InternalError, TRANSIENT",
      "503, SlowDown, TRANSIENT",
      "503, ServiceUnavailable, TRANSIENT"})
  void shouldClassifyAnS3AnswerByItsStatusAndErrorCode(int status, String code, Kind expected) {
    // Given the SDK's exception as ObjectStore wraps it
    S3Exception answer = (S3Exception) S3Exception.builder()
        .statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("said " + code).serviceName("S3").build())
        .message("said " + code)
        .build();

    // When
    StoreFailure failure = StoreFailure.classify(new ObjectStoreException("cannot put s3://b/k", answer));

    // Then
    assertThat(failure.kind()).isEqualTo(expected);
    assertThat(failure.reason()).contains("S3 answered HTTP " + status, code, "said " + code);
  }

  @Test
  void shouldRetryWhenS3CannotBeReached() {
    // Given
    SdkClientException noAnswer = SdkClientException.builder()
        .message("Unable to execute HTTP request: Connection refused")
        .cause(new IOException("Connection refused"))
        .build();

    // When
    StoreFailure failure = StoreFailure.classify(new ObjectStoreException("cannot put", noAnswer));

    // Then
    assertThat(failure.kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(failure.reason()).contains("S3 unreachable", "Connection refused");
  }

  @Test
  void shouldRetryABareIoErrorOfTheHttpClient() {
    // When
    StoreFailure failure = StoreFailure.classify(new ObjectStoreException("cannot put",
        new UncheckedIOException(new SocketTimeoutException("Read timed out"))));

    // Then
    assertThat(failure.kind()).isEqualTo(Kind.TRANSIENT);
  }

  @ParameterizedTest(name = "SQLState {0} -> {1}")
  @CsvSource({
      "22021, PERMANENT", // invalid byte sequence (PostgreSQL refuses NUL in text)
      "22001, PERMANENT", // string data right truncation
      "23502, PERMANENT", // not null violation
      "23514, PERMANENT", // check violation
      "08006, TRANSIENT", // connection failure
      "08001, TRANSIENT", // cannot connect
      "40001, TRANSIENT", // serialization failure
      "40P01, TRANSIENT", // deadlock
      "53300, TRANSIENT", // too many connections
      "57P01, TRANSIENT", // admin shutdown
      "42P01, TRANSIENT", // undefined table: our schema, the same for every row
      "42501, TRANSIENT", // insufficient privilege
      "28P01, TRANSIENT"}) // password authentication failed
  void shouldClassifyAnSqlErrorByItsSqlState(String state, Kind expected) {
    // Given
    SQLException error = new SQLException("ERROR: the server said so", state);

    // When
    StoreFailure failure = StoreFailure.classify(new MetadataStoreException("upsert failed", error));

    // Then
    assertThat(failure.kind()).isEqualTo(expected);
    assertThat(failure.reason()).contains("SQLState " + state, "the server said so");
  }

  @Test
  void shouldRetryAnSqlErrorWithoutStateOrOfATransientType() {
    assertThat(StoreFailure.classify(new SQLException("no state")).kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(StoreFailure.classify(new SQLTransientConnectionException("gone", "23000")).kind())
        .isEqualTo(Kind.TRANSIENT);
  }

  @ParameterizedTest(name = "SQLite {0} -> {1}")
  @CsvSource({
      "SQLITE_BUSY, TRANSIENT",
      "SQLITE_BUSY_SNAPSHOT, TRANSIENT",
      "SQLITE_LOCKED, TRANSIENT",
      "SQLITE_IOERR_FSYNC, TRANSIENT",
      "SQLITE_FULL, TRANSIENT",
      "SQLITE_CANTOPEN, TRANSIENT",
      "SQLITE_CONSTRAINT_NOTNULL, PERMANENT",
      "SQLITE_CONSTRAINT_CHECK, PERMANENT",
      "SQLITE_TOOBIG, PERMANENT"})
  void shouldClassifyASqliteErrorByItsResultCode(SQLiteErrorCode code, Kind expected) {
    // When
    StoreFailure failure = StoreFailure.classify(
        new MetadataStoreException("upsert failed", new SQLiteException("[" + code + "] it said", code)));

    // Then
    assertThat(failure.kind()).isEqualTo(expected);
    assertThat(failure.reason()).contains("SQLite answered");
  }

  @ParameterizedTest(name = "registry HTTP {0} -> {1}")
  @CsvSource({"0, TRANSIENT", "503, TRANSIENT", "500, TRANSIENT", "429, TRANSIENT", "404, PERMANENT", "422, PERMANENT"})
  void shouldClassifyASchemaRegistryAnswerWhileDecoding(int status, Kind expected) {
    // Given what ConfluentAvroSerde throws when the registry cannot give the writer schema
    RuntimeException error = new SerializationException("unknown schema id 7",
        new SchemaRegistryException("GET /schemas/ids/7 failed with HTTP " + status, status));

    // When / Then
    assertThat(StoreFailure.classify(error).kind()).isEqualTo(expected);
  }

  @Test
  void shouldDeadLetterWhatOurOwnChecksRefuse() {
    // When
    StoreFailure failure = StoreFailure.classify(new UnstorableItemException("object key longer than 1024 bytes"));

    // Then
    assertThat(failure.permanent()).isTrue();
    assertThat(failure.reason()).contains("object key longer than 1024 bytes");
  }

  @Test
  void shouldNotDeadLetterALibrarysIllegalArgumentException() {
    // Given what a library (or our own bug) throws: says nothing about the item
    RuntimeException fromALibrary = new IllegalArgumentException("Value must not be null");

    // When
    StoreFailure bare = StoreFailure.classify(fromALibrary);
    StoreFailure wrapped = StoreFailure.classify(new ObjectStoreException("cannot put", fromALibrary));

    // Then
    assertThat(bare.kind()).isEqualTo(Kind.UNKNOWN);
    assertThat(wrapped.kind()).isEqualTo(Kind.UNKNOWN);
    assertThat(bare.permanent()).isFalse();
    assertThat(wrapped.reason()).contains("Value must not be null");
  }
}
