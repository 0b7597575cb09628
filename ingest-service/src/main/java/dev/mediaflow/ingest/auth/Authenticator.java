package dev.mediaflow.ingest.auth;

/**
 * Decides whether a log call may write to a project, from its {@code Authorization} header,
 * before any of its body is read. The gateway answers a refusal with its status (401 or 403)
 * and message, and writes nothing.
 */
@FunctionalInterface
public interface Authenticator {
  /** Lets every call through (the demo and the tests that do not test authentication). */
  Authenticator ALLOW_ALL = (authorizationHeader, project) -> AuthResult.allowed();

  /**
   * @param authorizationHeader the header's value as sent, or null when the call has none
   * @param project the decoded project the call writes to
   * @return {@link AuthResult#allowed()}, or a refusal with status 401 or 403 and a message
   */
  AuthResult authorize(String authorizationHeader, String project);
}
