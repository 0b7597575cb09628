package dev.mediaflow.query.http;

/**
 * A request the API answers with an error: its status, a stable {@code error_code} and a message
 * for people. Thrown anywhere below a route; the router writes it as {@code {error_code, message}}.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String errorCode;

  public ApiException(int status, String errorCode, String message) {
    super(message, null, false, false);
    this.status = status;
    this.errorCode = errorCode;
  }

  /** A 400: a parameter or path segment that cannot be read. */
  public static ApiException badRequest(String message) {
    return new ApiException(400, "bad_request", message);
  }

  /** A 404 naming what was not found. */
  public static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message);
  }

  public int status() {
    return status;
  }

  public String errorCode() {
    return errorCode;
  }
}
