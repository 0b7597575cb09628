package dev.mediaflow.query.auth;

import dev.mediaflow.ingest.auth.AuthResult;
import dev.mediaflow.ingest.auth.Authenticator;
import dev.mediaflow.query.http.ApiException;
import dev.mediaflow.query.http.Exchange;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Who may read which project, decided by an {@link Authenticator} (the plug: API keys of the
 * metadata store, or {@link Authenticator#ALLOW_ALL} with keys off). The key comes from the
 * {@code Authorization: Bearer} header or, for the browser, from the cookie {@value #COOKIE}
 * that {@code POST /api/v1/session} sets.
 */
public final class ReadAccess {
  /** The cookie holding the browser's key. */
  public static final String COOKIE = "mediaflow_key";
  /** A project no key is bound to: asking for it tells a valid key (403) from an invalid one (401). */
  private static final String NO_PROJECT = "\u0000";

  private final Authenticator authenticator;
  private final boolean required;

  /**
   * @param required whether keys are on (false: {@code authenticator} is not asked at all)
   */
  public ReadAccess(Authenticator authenticator, boolean required) {
    this.authenticator = authenticator;
    this.required = required;
  }

  public static ReadAccess open() {
    return new ReadAccess(Authenticator.ALLOW_ALL, false);
  }

  public boolean required() {
    return required;
  }

  /** The credential of the exchange as an Authorization header value, or null. */
  static String credential(Exchange exchange) {
    String header = exchange.header(HttpHeader.AUTHORIZATION);
    if (header != null && !header.isBlank()) {
      return header;
    }
    String cookie = exchange.cookie(COOKIE);
    return cookie == null || cookie.isBlank() ? null : "Bearer " + cookie;
  }

  /** @throws ApiException 401 (with {@code WWW-Authenticate: Bearer}), 403 or 503 when it may not */
  public void require(Exchange exchange, String project) {
    if (required) {
      throwIfRefused(exchange, authenticator.authorize(credential(exchange), project));
    }
  }

  /** Whether the exchange may read {@code project}, for lists: never throws for a 403. */
  public boolean mayRead(Exchange exchange, String project) {
    return !required || authenticator.authorize(credential(exchange), project).isAllowed();
  }

  /**
   * Checks that the exchange carries a valid key at all (any project).
   *
   * @throws ApiException 401 or 503 when not; a valid key bound to some project passes
   */
  public void requireValidKey(Exchange exchange) {
    if (!required) {
      return;
    }
    AuthResult result = authenticator.authorize(credential(exchange), NO_PROJECT);
    if (result.status() != 403) {
      throwIfRefused(exchange, result);
    }
  }

  /** Whether the exchange carries a valid key (any project); always true with keys off. */
  public boolean authenticated(Exchange exchange) {
    if (!required) {
      return true;
    }
    int status = authenticator.authorize(credential(exchange), NO_PROJECT).status();
    return status == 200 || status == 403;
  }

  private static void throwIfRefused(Exchange exchange, AuthResult result) {
    if (result.isAllowed()) {
      return;
    }
    if (result.status() == 401) {
      exchange.setHeader(HttpHeader.WWW_AUTHENTICATE, "Bearer");
      throw new ApiException(401, "unauthorized", result.message());
    }
    if (result.status() == 403) {
      throw new ApiException(403, "forbidden", result.message());
    }
    throw new ApiException(result.status(), "unavailable", result.message());
  }
}
