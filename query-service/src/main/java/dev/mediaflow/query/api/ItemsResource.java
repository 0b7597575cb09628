package dev.mediaflow.query.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediaflow.query.auth.ReadAccess;
import dev.mediaflow.query.http.ApiException;
import dev.mediaflow.query.http.Exchange;
import dev.mediaflow.query.http.Params;
import dev.mediaflow.query.store.ItemRow;
import dev.mediaflow.query.store.MediaStore;
import dev.mediaflow.schemas.identity.ItemIdentity;
import java.util.List;

/** The items of a key: one step, or a step range, a page at a time (see {@link PageCursor}). */
final class ItemsResource {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private final MediaStore store;
  private final ReadAccess access;

  ItemsResource(MediaStore store, ReadAccess access) {
    this.store = store;
    this.access = access;
  }

  /** What a request for a page asks: the step range, the page size and where to start. */
  record PageRequest(long from, long to, int limit, PageCursor after) {

    /** @throws ApiException 400 for a parameter out of range or a bad cursor */
    static PageRequest of(String step, String from, String to, String limit, String cursor) {
      long min = ItemIdentity.SUMMARY_STEP;
      long first;
      long last;
      if (step != null) {
        if (from != null || to != null) {
          throw ApiException.badRequest("step excludes from and to");
        }
        first = Params.longIn("step", step, min, Long.MAX_VALUE);
        last = first;
      } else {
        first = Params.longIn("from", from, min, Long.MAX_VALUE, 0);
        last = Params.longIn("to", to, min, Long.MAX_VALUE, Long.MAX_VALUE);
        if (first > last) {
          throw ApiException.badRequest("from " + first + " is after to " + last);
        }
      }
      int size = Params.intIn("limit", limit, 1, MAX_LIMIT, DEFAULT_LIMIT);
      PageCursor after = cursor == null ? new PageCursor(first, -1) : PageCursor.decode(cursor);
      return new PageRequest(first, last, size, after);
    }
  }

  void items(Exchange ex, Names names) {
    access.require(ex, names.project());
    PageRequest page = PageRequest.of(ex.parameter("step"), ex.parameter("from"), ex.parameter("to"),
        ex.parameter("limit"), ex.parameter("cursor"));
    // one more than asked: whether it exists tells if there is a next page
    List<ItemRow> rows = store.items(names.project(), names.run(), names.key(), page.from(), page.to(),
        page.after().step(), page.after().index(), page.limit() + 1);
    if (rows.isEmpty()) {
      RunsResource.requireKey(store, names);
    }
    boolean more = rows.size() > page.limit();
    List<ItemRow> shown = more ? rows.subList(0, page.limit()) : rows;
    ObjectNode body = Exchange.JSON.createObjectNode().put("key", names.key());
    ArrayNode items = body.putArray("items");
    shown.forEach(row -> items.add(ItemJson.of(row)));
    ItemRow last = more ? shown.get(shown.size() - 1) : null;
    body.put("next_cursor", last == null ? null : new PageCursor(last.step(), last.index()).encode());
    ex.json(200, body);
  }
}
