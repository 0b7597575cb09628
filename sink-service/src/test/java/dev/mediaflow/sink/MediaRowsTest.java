package dev.mediaflow.sink;

import static dev.mediaflow.sink.TestEvents.identity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.sink.sql.MediaRow;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MediaRowsTest {

  private static final long STORED_AT = 1_763_720_000_000L;
  private static final String SHA256_OF_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  private final ObjectKeys keys = new ObjectKeys();

  @Test
  void shouldFillIdentityMainObjectAndImageColumnsFromAnImageEvent() {
    // Given
    ProcessedMedia event = TestEvents.image(identity("vision", "run-1", "examples", 42, 3));

    // When
    MediaRow row = MediaRows.from(event, keys.keysFor(event), STORED_AT);

    // Then
    assertThat(row).isEqualTo(new MediaRow(
        "vision", "run-1", "examples", 42L, 3, "image",
        "media/vision/run-1/examples/000000000042/3.png",
        "{\"image\":\"media/vision/run-1/examples/000000000042/3.png\","
            + "\"thumbnail\":\"media/vision/run-1/examples/000000000042/3-thumbnail.jpg\"}",
        "image/png", 3L, SHA256_OF_ABC,
        640, 480, "RGB", "png", "a cat, \"probably\"", 2,
        "[{\"id\":1,\"name\":\"cat\"},{\"id\":2,\"name\":\"dog\"}]",
        "[\"values outside [0, 255] were clipped\"]",
        null, "trainer-7", TestEvents.LOGGED_AT.toEpochMilli(), STORED_AT));
  }

  @Test
  void shouldLeaveImageAndMainObjectColumnsEmptyForAnItemWithoutThem() {
    // Given
    ProcessedMedia event = TestEvents.histogram(identity());

    // When
    MediaRow row = MediaRows.from(event, keys.keysFor(event), STORED_AT);

    // Then
    assertThat(row.mediaType()).isEqualTo("histogram");
    assertThat(row.objectKey()).isNull();
    assertThat(row.objectKeysJson()).isEqualTo("{}");
    assertThat(row.contentType()).isNull();
    assertThat(row.byteSize()).isNull();
    assertThat(row.sha256()).isNull();
    assertThat(row.width()).isNull();
    assertThat(row.height()).isNull();
    assertThat(row.mode()).isNull();
    assertThat(row.format()).isNull();
    assertThat(row.caption()).isNull();
    assertThat(row.grouping()).isNull();
    assertThat(row.classesJson()).isEqualTo("[]");
    assertThat(row.warningsJson()).isEqualTo("[]");
  }

  @Test
  void shouldGiveEqualRowsWhateverTheOrderOfTheKeyMap() {
    // Given
    ProcessedMedia event = TestEvents.image(identity());
    Map<String, String> reversed = new LinkedHashMap<>();
    reversed.put("thumbnail", "t");
    reversed.put("image", "i");
    Map<String, String> ordered = new LinkedHashMap<>();
    ordered.put("image", "i");
    ordered.put("thumbnail", "t");

    // When
    MediaRow first = MediaRows.from(event, reversed, STORED_AT);
    MediaRow second = MediaRows.from(event, ordered, STORED_AT);

    // Then
    assertThat(first).isEqualTo(second);
    assertThat(first.objectKeysJson()).isEqualTo("{\"image\":\"i\",\"thumbnail\":\"t\"}");
  }

  @Test
  void shouldNotConsumeTheEventsBuffers() {
    // Given
    ProcessedMedia event = TestEvents.image(identity());

    // When
    MediaRow first = MediaRows.from(event, keys.keysFor(event), STORED_AT);
    MediaRow second = MediaRows.from(event, keys.keysFor(event), STORED_AT);

    // Then
    assertThat(event.getObjects().get(0).getData().remaining()).isEqualTo(3);
    assertThat(second).isEqualTo(first);
  }

  @Test
  void shouldRejectKeyMapMissingARole() {
    // Given
    ProcessedMedia event = TestEvents.image(identity());

    // When / Then
    assertThatThrownBy(() -> MediaRows.from(event, Map.of("image", "i"), STORED_AT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("thumbnail");
  }
}
