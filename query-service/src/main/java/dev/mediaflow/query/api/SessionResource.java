package dev.mediaflow.query.api;

import dev.mediaflow.query.auth.ReadAccess;
import dev.mediaflow.query.http.ApiException;
import dev.mediaflow.query.http.Exchange;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The browser's way in when keys are on: {@code POST} with {@code Authorization: Bearer <key>}
 * checks the key and sets it as an HttpOnly cookie (so page loads of images and PLYs carry it);
 * {@code DELETE} clears it; {@code GET} says whether a key is needed and whether one is held.
 */
final class SessionResource {
  private final ReadAccess access;

  SessionResource(ReadAccess access) {
    this.access = access;
  }

  void handle(Exchange ex) {
    switch (ex.method()) {
      case "GET" -> ex.json(200, Exchange.JSON.createObjectNode().put("auth_required", access.required())
          .put("authenticated", access.authenticated(ex)));
      case "POST" -> open(ex);
      case "DELETE" -> {
        ex.addHeader(HttpHeader.SET_COOKIE, ReadAccess.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
        ex.empty(204);
      }
      default -> throw new ApiException(405, "method_not_allowed", "use GET, POST or DELETE on /api/v1/session");
    }
  }

  private void open(Exchange ex) {
    String header = ex.header(HttpHeader.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ex.setHeader(HttpHeader.WWW_AUTHENTICATE, "Bearer");
      throw new ApiException(401, "unauthorized", "send the key as Authorization: Bearer <key>");
    }
    access.requireValidKey(ex);
    String key = header.substring(7).trim();
    if (!key.matches("[A-Za-z0-9_\\-]+")) {
      throw ApiException.badRequest("the key has characters a key never has");
    }
    ex.addHeader(HttpHeader.SET_COOKIE, ReadAccess.COOKIE + "=" + key + "; Path=/; HttpOnly; SameSite=Strict");
    ex.empty(204);
  }
}
