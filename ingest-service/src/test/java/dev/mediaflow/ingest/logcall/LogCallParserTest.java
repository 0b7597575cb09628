package dev.mediaflow.ingest.logcall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.ingest.logcall.LogCallParser.Part;
import dev.mediaflow.ingest.npy.NpyWriter;
import dev.mediaflow.schemas.avro.ImagePayload;
import dev.mediaflow.schemas.identity.ItemIdentity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogCallParserTest {
  private final LogCallParser parser = new LogCallParser("test");
  private final Map<String, Part> parts = Map.of(
      "a0", new Part("a0", "a0.npy", NpyWriter.write("uint8", new long[] {2, 2}, new byte[4])),
      "f0", new Part("f0", "cat.png", new byte[] {1, 2, 3}));

  @Test
  void shouldGiveEachListItemItsIndexAndTheCallsStep() {
    // Given
    String log = "{\"step\": 3, \"data\": {\"examples\": [{\"_type\": \"image\", \"array\": \"a0\", \"caption\": \"c\"},"
        + " {\"_type\": \"image\", \"file\": \"f0\"}], \"loss\": 0.5}}";

    // When
    List<LoggedItem> items = parser.parse("proj", "run-1", log, parts);

    // Then
    assertThat(items).hasSize(2).allMatch(LoggedItem::isAccepted);
    assertThat(items.get(1).identity().getIndex()).isEqualTo(1);
    assertThat(items.get(0).identity().getStep()).isEqualTo(3);
    ImagePayload first = (ImagePayload) items.get(0).event().getPayload();
    assertThat(first.getCaption()).isEqualTo("c");
    assertThat(first.getArray().getShape()).containsExactly(2L, 2L);
    ImagePayload second = (ImagePayload) items.get(1).event().getPayload();
    assertThat(second.getFile().getName()).isEqualTo("cat.png");
  }

  @Test
  void shouldMarkTensorsAsChannelsFirst() {
    String log = "{\"step\": 0, \"data\": {\"t\": {\"_type\": \"image\", \"tensor\": \"a0\"}}}";
    ImagePayload image = (ImagePayload) parser.parse("p", "r", log, parts).get(0).event().getPayload();
    assertThat(image.getLayout()).isEqualTo("CHW");
  }

  @Test
  void shouldRejectOnlyTheItemThatNamesAMissingPart() {
    // Given one good and one broken item in the same call
    String log = "{\"step\": 1, \"data\": {\"k\": [{\"_type\": \"image\", \"array\": \"a0\"},"
        + " {\"_type\": \"image\", \"array\": \"nope\"}, {\"_type\": \"hologram\"}]}}";

    // When
    List<LoggedItem> items = parser.parse("p", "r", log, parts);

    // Then
    assertThat(items.get(0).isAccepted()).isTrue();
    assertThat(items.get(1).rejection()).contains("part \"nope\"");
    assertThat(items.get(2).rejection()).contains("unsupported media type \"hologram\"");
  }

  @Test
  void shouldRefuseACallWithoutAStep() {
    assertThatThrownBy(() -> parser.parse("p", "r", "{\"data\": {}}", parts))
        .isInstanceOf(LogCallException.class)
        .hasMessageContaining("step");
  }

  @Test
  void shouldGiveSummaryItemsTheReservedSummaryStep() {
    // Given a summary call: the body of a log call without "step"
    String log = "{\"data\": {\"final\": [{\"_type\": \"image\", \"array\": \"a0\"}, {\"_type\": \"hologram\"}]}}";

    // When
    List<LoggedItem> items = parser.parse("p", "r", log, parts, true);

    // Then every item, accepted or not, has step -1; items are judged as in a log call
    assertThat(items).extracting(item -> item.identity().getStep())
        .containsOnly(ItemIdentity.SUMMARY_STEP).containsExactly(-1L, -1L);
    assertThat(items.get(0).isAccepted()).isTrue();
    assertThat(items.get(1).rejection()).contains("unsupported media type \"hologram\"");
  }

  @Test
  void shouldRefuseASummaryCallThatGivesAStep() {
    String log = "{\"step\": 0, \"data\": {\"k\": {\"_type\": \"image\", \"array\": \"a0\"}}}";
    assertThatThrownBy(() -> parser.parse("p", "r", log, parts, true))
        .isInstanceOf(LogCallException.class)
        .hasMessageContaining("summary call has no \"step\"");
  }

  @Test
  void shouldRefuseALogCallAtTheSummaryStep() {
    // Given a log call trying to write the reserved step through /log
    String log = "{\"step\": -1, \"data\": {\"k\": {\"_type\": \"image\", \"array\": \"a0\"}}}";

    // Then
    assertThatThrownBy(() -> parser.parse("p", "r", log, parts))
        .isInstanceOf(LogCallException.class)
        .hasMessageContaining("non-negative");
  }

  @Test
  void shouldRefuseJsonThatDoesNotParse() {
    assertThatThrownBy(() -> parser.parse("p", "r", "{step: ", parts)).hasMessageContaining("not valid JSON");
  }

  @Test
  void shouldReadEveryMediaTypesShape() {
    // Given one item of each type, arrays inline or as parts
    String log = "{\"step\": 4, \"data\": {"
        + "\"h\": {\"_type\": \"histogram\", \"sequence\": [1, 2, 2.5], \"num_bins\": 3},"
        + "\"hp\": {\"_type\": \"histogram\", \"np_histogram\": [[1, 2], [0, 0.5, 1]]},"
        + "\"pc\": {\"_type\": \"object3D\", \"scene\": {\"type\": \"lidar/beta\", \"points\": [[0,0,0],[1,1,1]],"
        + " \"boxes\": []}},"
        + "\"v\": {\"_type\": \"video\", \"frames\": \"a0\", \"fps\": 8},"
        + "\"a\": {\"_type\": \"audio\", \"samples\": [0.0, 0.5], \"sample_rate\": 16000},"
        + "\"w\": {\"_type\": \"html\", \"html\": \"<p>hi</p>\", \"inject\": false},"
        + "\"m\": {\"_type\": \"molecule\", \"smiles\": \"CCO\"}}}";

    // When
    List<LoggedItem> items = parser.parse("p", "r", log, parts);

    // Then
    assertThat(items).hasSize(7).allMatch(LoggedItem::isAccepted);
    var histogram = (dev.mediaflow.schemas.avro.HistogramPayload) items.get(0).event().getPayload();
    assertThat(histogram.getValues().getShape()).containsExactly(3L);
    assertThat(histogram.getNumBins()).isEqualTo(3);
    var precomputed = (dev.mediaflow.schemas.avro.HistogramPayload) items.get(1).event().getPayload();
    assertThat(precomputed.getEdges()).containsExactly(0.0, 0.5, 1.0);
    var cloud = (dev.mediaflow.schemas.avro.Object3DPayload) items.get(2).event().getPayload();
    assertThat(cloud.getPoints().getShape()).containsExactly(2L, 3L);
    assertThat(cloud.getSceneJson()).contains("lidar/beta").doesNotContain("points");
  }

  @Test
  void shouldTurnMediaCellsOfATableIntoItemsOfTheirOwn() {
    // Given a table whose second column holds images
    String log = "{\"step\": 1, \"data\": {\"preds\": {\"_type\": \"table\", \"columns\": [\"id\", \"img\"],"
        + " \"data\": [[1, {\"_type\": \"image\", \"array\": \"a0\"}], [2, null]]}}}";

    // When
    List<LoggedItem> items = parser.parse("p", "r", log, parts);

    // Then the table comes first and references the cell item stored under preds.cells
    assertThat(items).hasSize(2);
    var table = (dev.mediaflow.schemas.avro.TablePayload) items.get(0).event().getPayload();
    assertThat(table.getRowsJson()).isEqualTo("[[1,{\"_ref\":\"p/r/preds.cells/1/1\",\"_type\":\"image\"}],[2,null]]");
    assertThat(items.get(1).identity().getKey()).isEqualTo("preds.cells");
    assertThat(items.get(1).identity().getIndex()).isEqualTo(1);
  }

  @Test
  void shouldNameTheBoxThatIsMalformed() {
    String log = "{\"step\": 0, \"data\": {\"k\": {\"_type\": \"image\", \"array\": \"a0\", \"boxes\": {\"pred\":"
        + " {\"box_data\": [{\"position\": {\"minX\": 0, \"maxX\": 1, \"minY\": 0, \"maxY\": 1}, \"class_id\": 1},"
        + " {\"position\": {\"middle\": [0.5, 0.5], \"width\": 0.1}, \"class_id\": 2}]}}}}}";
    assertThat(parser.parse("p", "r", log, parts).get(0).rejection())
        .isEqualTo("box group \"pred\" box 1 position needs a number \"height\"");
  }
}
