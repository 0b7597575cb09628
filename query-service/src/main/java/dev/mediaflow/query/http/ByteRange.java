package dev.mediaflow.query.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one byte range of a {@code Range} header (RFC 9110 §14): {@code bytes=a-b}, {@code bytes=a-}
 * or the suffix {@code bytes=-n}, resolved against the object's size.
 *
 * @param first first byte, inclusive
 * @param last last byte, inclusive
 */
public record ByteRange(long first, long last) {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

  /** The number of bytes in the range. */
  public long length() {
    return last - first + 1;
  }

  /** {@code bytes first-last/size}, the value of {@code Content-Range}. */
  public String contentRange(long size) {
    return "bytes " + first + "-" + last + "/" + size;
  }

  /**
   * The range {@code header} asks for within an object of {@code size} bytes; null when there
   * is no header (the whole object).
   *
   * @throws ApiException 400 for a header that is not one byte range (several ranges included),
   *     416 (with {@code Content-Range: bytes *}{@code /size} to set) when it lies beyond the object
   */
  public static ByteRange parse(String header, long size) {
    if (header == null) {
      return null;
    }
    Matcher m = RANGE.matcher(header.trim());
    if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
      throw ApiException.badRequest("Range must be one range bytes=first-last, bytes=first- or bytes=-suffix, not \""
          + header + "\"");
    }
    if (m.group(1).isEmpty()) {
      long suffix = Long.parseLong(m.group(2));
      if (suffix == 0 || size == 0) {
        throw unsatisfiable(header, size);
      }
      return new ByteRange(Math.max(0, size - suffix), size - 1);
    }
    long first = Long.parseLong(m.group(1));
    if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < first) {
      throw ApiException.badRequest("Range " + header + " ends before it starts");
    }
    if (first >= size) {
      throw unsatisfiable(header, size);
    }
    long last = m.group(2).isEmpty() ? size - 1 : Long.parseLong(m.group(2));
    return new ByteRange(first, Math.min(last, size - 1));
  }

  private static ApiException unsatisfiable(String header, long size) {
    return new ApiException(416, "range_not_satisfiable", "Range " + header + " lies outside the object of " + size
        + " bytes");
  }
}
