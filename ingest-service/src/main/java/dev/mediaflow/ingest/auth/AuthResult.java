package dev.mediaflow.ingest.auth;

/**
 * The answer of an {@link Authenticator}: 200 when the call may go on, else the HTTP status to
 * answer (401, 403, 503) and a message for the client that never holds the key.
 */
public record AuthResult(int status, String message) {

  private static final AuthResult ALLOWED = new AuthResult(200, "allowed");

  public static AuthResult allowed() {
    return ALLOWED;
  }

  public boolean isAllowed() {
    return status == 200;
  }
}
