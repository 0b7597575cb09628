package dev.mediaflow.ingest.logcall;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.ingest.logcall.LogCallParser.Part;
import dev.mediaflow.ingest.npy.NpyWriter;
import dev.mediaflow.schemas.identity.ItemIdentity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the parser does with item identities: keys refused with a reason, derived keys that never collide. */
class LogCallIdentityTest {
  private final LogCallParser parser = new LogCallParser("test");
  private final Map<String, Part> parts = Map.of(
      "a0", new Part("a0", "a0.npy", NpyWriter.write("uint8", new long[] {2, 2}, new byte[4])));

  @Test
  void shouldRefuseOnlyTheItemWhoseKeyCouldNeverBeStored() {
    // Given an over-long key, a control character, a lone surrogate and a good key in one call
    String longKey = "k".repeat(ItemIdentity.MAX_KEY_BYTES + 1);
    String log = "{\"step\": 1, \"data\": {\"" + longKey + "\": {\"_type\": \"html\", \"html\": \"x\"},"
        + " \"tab\\tkey\": {\"_type\": \"html\", \"html\": \"x\"}, \"a\\ud800\": {\"_type\": \"html\", \"html\": \"x\"},"
        + " \"good\": {\"_type\": \"html\", \"html\": \"x\"}}}";

    // When
    List<LoggedItem> items = parser.parse("p", "r", log, parts);

    // Then
    assertThat(items).hasSize(4);
    assertThat(items.get(0).rejection()).contains("key \"kkk").contains("above the limit of " + ItemIdentity.MAX_KEY_BYTES);
    assertThat(items.get(0).identity().getKey()).isEqualTo(longKey);
    assertThat(items.get(1).rejection()).contains("control character U+0009");
    assertThat(items.get(2).rejection()).contains("unpaired surrogate U+D800");
    assertThat(items.get(3).isAccepted()).isTrue();
  }

  @Test
  void shouldAcceptAKeyAtTheLimit() {
    // Given
    String log = "{\"step\": 1, \"data\": {\"" + "k".repeat(ItemIdentity.MAX_KEY_BYTES) + "\": {\"_type\": \"html\","
        + " \"html\": \"x\"}}}";

    // When / Then
    assertThat(parser.parse("p", "r", log, parts)).singleElement().matches(LoggedItem::isAccepted);
  }

  @Test
  void shouldRefuseAUserKeyThatLooksLikeATablesCells() {
    // Given a table t with a media cell and a user item under t.cells
    String log = "{\"step\": 1, \"data\": {\"t\": {\"_type\": \"table\", \"columns\": [\"img\"],"
        + " \"data\": [[{\"_type\": \"image\", \"array\": \"a0\"}]]}, \"t.cells\": {\"_type\": \"image\", \"array\": \"a0\"}}}";

    // When
    List<LoggedItem> items = parser.parse("p", "r", log, parts);

    // Then the table and its cell are accepted, the user's t.cells is refused with the reason
    assertThat(items).hasSize(3);
    assertThat(items.get(0).isAccepted()).isTrue();
    assertThat(items.get(1).identity().getKey()).isEqualTo("t.cells");
    assertThat(items.get(1).isAccepted()).isTrue();
    assertThat(items.get(2).identity().getKey()).isEqualTo("t.cells");
    assertThat(items.get(2).rejection()).contains("reserved for the media cells of tables");
  }

  @Test
  void shouldRefuseATableWithARowWiderThanItsColumns() {
    // Given row 0 has three cells for two columns: its third cell would take row 1's first index
    String log = "{\"step\": 1, \"data\": {\"t\": {\"_type\": \"table\", \"columns\": [\"a\", \"b\"], \"data\": ["
        + "[1, 2, {\"_type\": \"image\", \"array\": \"a0\"}], [{\"_type\": \"image\", \"array\": \"a0\"}, 3]]},"
        + " \"good\": {\"_type\": \"html\", \"html\": \"x\"}}}";

    // When
    List<LoggedItem> items = parser.parse("p", "r", log, parts);

    // Then the table is refused whole (no cell is sent) and the neighbour is accepted
    assertThat(items).hasSize(2);
    assertThat(items.get(0).rejection()).isEqualTo("table row 0 has 3 cells but the table has 2 columns: [a, b]");
    assertThat(items.get(1).isAccepted()).isTrue();
  }

  @Test
  void shouldIndexCellsOfShortRowsWithoutCollision() {
    // Given a short first row (the transform refuses it later, as wandb does) and a full second row
    String log = "{\"step\": 1, \"data\": {\"t\": {\"_type\": \"table\", \"columns\": [\"a\", \"b\"], \"data\": ["
        + "[{\"_type\": \"image\", \"array\": \"a0\"}], [{\"_type\": \"image\", \"array\": \"a0\"},"
        + " {\"_type\": \"image\", \"array\": \"a0\"}]]}}}";

    // When
    List<LoggedItem> items = parser.parse("p", "r", log, parts);

    // Then
    assertThat(items.stream().skip(1).map(i -> i.identity().getIndex())).containsExactly(0, 2, 3);
  }

  @Test
  void shouldRefuseImageWhoseMaskGroupNameCannotBeAnObjectName() {
    // Given
    String log = "{\"step\": 1, \"data\": {\"seg\": {\"_type\": \"image\", \"array\": \"a0\", \"masks\": {"
        + "\"" + "m".repeat(ItemIdentity.MAX_ROLE_BYTES) + "\": {\"mask_data\": \"a0\"}}},"
        + " \"ctl\": {\"_type\": \"image\", \"array\": \"a0\", \"masks\": {\"a\\u0001\": {\"mask_data\": \"a0\"}}}}}";

    // When
    List<LoggedItem> items = parser.parse("p", "r", log, parts);

    // Then
    assertThat(items.get(0).rejection()).contains("mask group").contains("above the limit of " + ItemIdentity.MAX_ROLE_BYTES);
    assertThat(items.get(1).rejection()).contains("mask group").contains("control character U+0001");
  }
}
