package dev.mediaflow.query.http;

/** Reading numeric path segments and query parameters; anything unreadable is a 400 naming it. */
public final class Params {
  private Params() {}

  /** A whole number in {@code [min, max]}; {@code fallback} when {@code raw} is null. */
  public static long longIn(String name, String raw, long min, long max, long fallback) {
    if (raw == null) {
      return fallback;
    }
    long value;
    try {
      value = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be a whole number, not \"" + raw + "\"");
    }
    if (value < min || value > max) {
      throw ApiException.badRequest(name + " must be between " + min + " and " + max + ", not " + value);
    }
    return value;
  }

  public static int intIn(String name, String raw, int min, int max, int fallback) {
    return (int) longIn(name, raw, min, max, fallback);
  }

  /** A required whole number (a path segment). */
  public static long longIn(String name, String raw, long min, long max) {
    if (raw == null) {
      throw ApiException.badRequest(name + " is missing");
    }
    return longIn(name, raw, min, max, 0);
  }
}
