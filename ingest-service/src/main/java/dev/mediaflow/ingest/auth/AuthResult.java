package dev.mediaflow.ingest.auth;

/**
 * What an {@link Authenticator} decided.
 *
 * @param status 200 when allowed, else the HTTP status to answer (401 or 403)
 * @param message why the call was refused (never the key); null when allowed
 */
public record AuthResult(int status, String message) {

  public static AuthResult allowed() {
    return new AuthResult(200, null);
  }

  public boolean isAllowed() {
    return status == 200;
  }
}
