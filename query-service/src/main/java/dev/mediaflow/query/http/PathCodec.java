package dev.mediaflow.query.http;

import dev.mediaflow.schemas.identity.ItemIdentity;
import java.nio.charset.StandardCharsets;

/**
 * Names in URL paths, both ways. Decoding is the ingest gateway's (RFC 3986 path segments:
 * percent-escapes only, {@code +} stays {@code +}); encoding escapes every byte but the
 * unreserved characters, and the dots of a {@code .}/{@code ..} name, so any name round-trips
 * and never adds or removes a path level.
 */
public final class PathCodec {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PathCodec() {}

  /**
   * @param what the segment's meaning for the message, e.g. {@code project}
   * @throws ApiException (400) naming the segment when it is not a valid escape of UTF-8
   */
  public static String decode(String what, String raw) {
    try {
      return ItemIdentity.decodePathSegment(raw);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("path: " + what + " segment \"" + raw + "\": " + e.getMessage());
    }
  }

  /** The path segment that {@link #decode} turns back into {@code name}. */
  public static String encode(String name) {
    boolean dotsOnly = name.equals(".") || name.equals("..");
    StringBuilder out = new StringBuilder(name.length() + 8);
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean unreserved = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
          || c == '-' || c == '_' || c == '~' || c == '.' && !dotsOnly;
      if (unreserved) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }
}
