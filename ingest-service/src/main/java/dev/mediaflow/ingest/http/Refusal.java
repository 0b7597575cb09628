package dev.mediaflow.ingest.http;

/**
 * A call the gateway answers without storing anything: its status, a stable {@code error_code},
 * the reason, and (for 429 and 503) how many seconds to wait before retrying.
 */
final class Refusal extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String errorCode;
  private final long retryAfterSeconds;

  Refusal(int status, String errorCode, String message) {
    this(status, errorCode, message, 0);
  }

  Refusal(int status, String errorCode, String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.errorCode = errorCode;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** A 429: the call is fine, the gateway is busy; retry after {@code seconds}. */
  static Refusal busy(String errorCode, String message, long seconds) {
    return new Refusal(429, errorCode, message, Math.max(1, seconds));
  }

  /** A 413: the call breaks a limit; sending it again as it is fails again. */
  static Refusal tooLarge(String errorCode, String message) {
    return new Refusal(413, errorCode, message);
  }

  int status() {
    return status;
  }

  String errorCode() {
    return errorCode;
  }

  /** Seconds for the {@code Retry-After} header; 0 when there is none. */
  long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
