package dev.mediaflow.ingest.logcall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.ingest.logcall.LogCallParser.Part;
import dev.mediaflow.ingest.npy.NpyWriter;
import dev.mediaflow.schemas.avro.ImagePayload;
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
  void shouldRefuseJsonThatDoesNotParse() {
    assertThatThrownBy(() -> parser.parse("p", "r", "{step: ", parts)).hasMessageContaining("not valid JSON");
  }
}
