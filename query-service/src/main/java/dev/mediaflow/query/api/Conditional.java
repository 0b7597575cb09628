package dev.mediaflow.query.api;

/** {@code If-None-Match} against an entity tag (RFC 9110 §13.1.2: weak comparison, {@code *}). */
final class Conditional {
  private Conditional() {}

  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null || etag == null) {
      return false;
    }
    String bare = opaque(etag);
    for (String candidate : ifNoneMatch.split(",")) {
      String c = candidate.trim();
      if (c.equals("*") || opaque(c).equals(bare)) {
        return true;
      }
    }
    return false;
  }

  private static String opaque(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
  }
}
