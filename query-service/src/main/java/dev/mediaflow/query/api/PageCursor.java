package dev.mediaflow.query.api;

import dev.mediaflow.query.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a page of items ends: the (step, index) of its last item. Keyset paging: the next page
 * is every item after it in (step, index) order, so pages have no duplicates or gaps even while a
 * run keeps logging. On the wire it is opaque: base64url (no padding) of {@code step:index}.
 */
public record PageCursor(long step, int index) {
  private static final Pattern TEXT = Pattern.compile("(-?\\d{1,19}):(\\d{1,10})");

  public String encode() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((step + ":" + index).getBytes(StandardCharsets.UTF_8));
  }

  /** @throws ApiException 400 for anything {@link #encode} did not produce */
  public static PageCursor decode(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      Matcher m = TEXT.matcher(text);
      if (m.matches()) {
        return new PageCursor(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)));
      }
    } catch (IllegalArgumentException e) {
      // not base64url or a number out of range: answered below
    }
    throw ApiException.badRequest("cursor \"" + cursor + "\" is not a next_cursor of this API");
  }
}
