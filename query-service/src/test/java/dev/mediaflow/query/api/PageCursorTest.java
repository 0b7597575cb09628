package dev.mediaflow.query.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.query.http.ApiException;
import org.junit.jupiter.api.Test;

class PageCursorTest {

  @Test
  void shouldRoundTripThroughItsOpaqueForm() {
    for (PageCursor cursor : new PageCursor[] {new PageCursor(0, 0), new PageCursor(-1, 3),
        new PageCursor(Long.MAX_VALUE, Integer.MAX_VALUE)}) {
      String text = cursor.encode();
      assertThat(text).matches("[A-Za-z0-9_-]+");
      assertThat(PageCursor.decode(text)).isEqualTo(cursor);
    }
  }

  @Test
  void shouldRefuseWhatItDidNotProduceWith400() {
    for (String bad : new String[] {"!!", "Zm9v", "MTI6", "MTI6LTE", "OTk5OTk5OTk5OTk5OTk5OTk5OTk6MQ"}) {
      assertThatThrownBy(() -> PageCursor.decode(bad)).as(bad).isInstanceOfSatisfying(ApiException.class,
          e -> assertThat(e.status()).isEqualTo(400));
    }
  }

  @Test
  void shouldStartTheFirstPageBeforeTheFirstItemOfTheRange() {
    ItemsResource.PageRequest page = ItemsResource.PageRequest.of(null, "5", "9", "20", null);
    assertThat(page.from()).isEqualTo(5);
    assertThat(page.to()).isEqualTo(9);
    assertThat(page.limit()).isEqualTo(20);
    assertThat(page.after()).isEqualTo(new PageCursor(5, -1));
  }

  @Test
  void shouldDefaultToSteppedItemsAndAHundredPerPage() {
    ItemsResource.PageRequest page = ItemsResource.PageRequest.of(null, null, null, null, null);
    assertThat(page.from()).isZero();
    assertThat(page.to()).isEqualTo(Long.MAX_VALUE);
    assertThat(page.limit()).isEqualTo(ItemsResource.DEFAULT_LIMIT);
  }

  @Test
  void shouldRefuseBadPagingParametersWith400() {
    String[][] bad = {{"x", null, null, null}, {null, "a", null, null}, {null, "9", "5", null},
        {null, null, null, "0"}, {null, null, null, "1001"}, {"3", "1", null, null}, {"-2", null, null, null}};
    for (String[] p : bad) {
      assertThatThrownBy(() -> ItemsResource.PageRequest.of(p[0], p[1], p[2], p[3], null))
          .as(String.join(",", String.valueOf(p[0]), String.valueOf(p[1]), String.valueOf(p[2]), String.valueOf(p[3])))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    }
  }
}
