package dev.mediaflow.query.http;

/**
 * Which raw request paths may reach the static files. The server decodes paths leniently (the
 * API's names need it), so an escaped separator or dot such as {@code /..%2Fdev/...} would
 * otherwise be resolved by the file handler to a class-path resource outside {@code browser/}
 * (class files, or files beside an exploded {@code target/classes}). The browser's own file
 * names are plain, so anything escaped or any dot segment is refused.
 */
public final class StaticPaths {
  private StaticPaths() {}

  /** True when {@code rawPath} (as sent, not decoded) has no escape, backslash or dot segment. */
  public static boolean isPlain(String rawPath) {
    if (rawPath == null || !rawPath.startsWith("/") || rawPath.indexOf('%') >= 0 || rawPath.indexOf('\\') >= 0) {
      return false;
    }
    for (String segment : rawPath.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }
}
