package dev.mediaflow.sink.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DerivedRowsTest {

  @Test
  void shouldGiveEveryBoxBothPositionDomainsThroughTheImageSize() {
    // Given a 40×20 image with one relative box and one pixel box
    MediaRow row = row("image", 40, 20, """
        {"boxes": {"gt": {"class_labels": {"3": "car"}, "box_data": [
          {"position": {"minX": 0.25, "maxX": 0.5, "minY": 0.5, "maxY": 1.0}, "class_id": 3, "label": "car",
           "scores": {"conf": 0.4, "iou": 0.7}},
          {"position": {"minX": 10, "maxX": 30, "minY": 5, "maxY": 15}, "domain": "pixel", "class_id": 3,
           "label": "car", "box_caption": "far", "scores": {}}]}}, "masks": {}}""", "[{\"id\":3,\"name\":\"car\"}]");

    // When
    DerivedRows derived = DerivedRows.of(row);

    // Then
    assertThat(derived.boxes()).containsExactly(
        new DerivedRows.Box("gt", 0, 3, "car", "relative", 10, 20, 10, 20, 0.25, 0.5, 0.5, 1.0, null),
        new DerivedRows.Box("gt", 1, 3, "car", "pixel", 10, 30, 5, 15, 0.25, 0.75, 0.25, 0.75, "far"));
    assertThat(derived.scores()).containsExactly(
        new DerivedRows.Score("gt", 0, 3, "car", "conf", 0.4), new DerivedRows.Score("gt", 0, 3, "car", "iou", 0.7));
    assertThat(derived.classes()).containsExactly(new DerivedRows.ItemClass(3, "car"));
  }

  @Test
  void shouldGiveOneBinPerHistogramValueWithBothEdges() {
    // Given
    MediaRow row = row("histogram", null, null, "{\"_type\": \"histogram\", \"values\": [2, 0.5],"
        + " \"bins\": [-1.0, 0.0, 1.0]}", "[]");

    // When / Then
    assertThat(DerivedRows.of(row).bins()).containsExactly(
        new DerivedRows.Bin(0, -1.0, 0.0, 2), new DerivedRows.Bin(1, 0.0, 1.0, 0.5));
  }

  @Test
  void shouldTakeTruncationFromAPointCloudAndDurationFromFramesAndFps() {
    // Given
    MediaRow cloud = row("object3D", null, null, "{\"type\": \"lidar/beta\", \"original_count\": 400000,"
        + " \"kept_count\": 300000, \"truncated\": true}", "[]");
    MediaRow video = row("video", null, null, "{\"frames\": 10, \"fps\": 4, \"width\": 8, \"height\": 6,"
        + " \"format\": \"gif\"}", "[]");

    // When
    DerivedRows.Facts cloudFacts = DerivedRows.of(cloud).facts();
    DerivedRows.Facts videoFacts = DerivedRows.of(video).facts();

    // Then
    assertThat(cloudFacts.originalPoints()).isEqualTo(400_000L);
    assertThat(cloudFacts.keptPoints()).isEqualTo(300_000L);
    assertThat(cloudFacts.truncated()).isEqualTo(1);
    assertThat(videoFacts.durationSeconds()).isEqualTo(2.5);
    assertThat(videoFacts.frameCount()).isEqualTo(10L);
    assertThat(videoFacts.format()).isEqualTo("gif");
  }

  @Test
  void shouldDeriveNothingFromMetadataOfAnotherShapeRatherThanRefuseTheItem() {
    // Given a histogram whose values and edges do not match
    MediaRow row = row("histogram", null, null, "{\"values\": [1, 2], \"bins\": [0.0, 1.0]}", "[]");

    // When / Then
    assertThat(DerivedRows.of(row)).isEqualTo(DerivedRows.none());
  }

  private static MediaRow row(String type, Integer width, Integer height, String metadata, String classes) {
    return new MediaRow("p", "r", "k", 1, 0, type, null, "{}", null, null, null, width, height, null, null, null,
        null, classes, "[]", metadata, "producer", 1L, 1L);
  }
}
