package dev.mediaflow.ingest.auth;

/**
 * Decides whether a log call may write to a project, from its {@code Authorization} header. The
 * gateway asks before it reads the call's body and answers a refusal as is (401 with
 * {@code WWW-Authenticate: Bearer}, 403, or 503).
 */
public interface Authenticator {

  /** Lets every call through: the demo and the tests that do not test keys. */
  Authenticator ALLOW_ALL = (authorizationHeader, project) -> AuthResult.allowed();

  /**
   * @param authorizationHeader the request's {@code Authorization} header, or null when absent
   * @param project the project of the call's path, decoded
   * @return {@link AuthResult#allowed()}, or the status and message to answer with
   */
  AuthResult authorize(String authorizationHeader, String project);
}
