package dev.mediaflow.sink.sql;

import static dev.mediaflow.sink.TestEvents.identity;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.schemas.avro.MediaIdentity;
import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.sink.MediaRows;
import dev.mediaflow.sink.ObjectKeys;
import dev.mediaflow.sink.TestEvents;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every engine behind {@link MetadataStore} must do; subclasses supply the database. */
abstract class MetadataStoreContract {

  private static final long FIRST_STORED_AT = 1_000L;
  private static final long LATER_STORED_AT = 2_000L;

  protected MetadataStore store;

  /** Prepares a fresh, empty database (or schema) for the next test. */
  protected abstract void createEmptyDatabase() throws Exception;

  /** Opens a new store on the database of the current test. */
  protected abstract MetadataStore openStore();

  /** A plain connection to the current test's database (and schema), to read what the store wrote. */
  protected abstract Connection reader() throws SQLException;

  @BeforeEach
  void openStoreOnEmptyDatabase() throws Exception {
    createEmptyDatabase();
    store = openStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void shouldKeepOneIdenticalRowWhenTheSameItemIsUpsertedTwice() {
    // Given
    MediaIdentity id = identity("vision", "run-1", "examples", 42, 3);
    store.upsert(imageRow(id, FIRST_STORED_AT));
    MediaRow afterFirstWrite = store.find(id).orElseThrow();

    // When
    store.upsert(imageRow(id, LATER_STORED_AT));

    // Then
    assertThat(store.count()).isEqualTo(1);
    assertThat(store.find(id)).contains(afterFirstWrite);
    assertThat(afterFirstWrite).isEqualTo(imageRow(id, FIRST_STORED_AT));
  }

  @Test
  void shouldStoreTwoRowsWhenOnlyTheIndexDiffers() {
    // Given
    MediaIdentity first = identity("vision", "run-1", "examples", 42, 0);
    MediaIdentity second = identity("vision", "run-1", "examples", 42, 1);

    // When
    store.upsert(imageRow(first, FIRST_STORED_AT));
    store.upsert(imageRow(second, FIRST_STORED_AT));

    // Then
    assertThat(store.count()).isEqualTo(2);
    assertThat(store.find(first)).contains(imageRow(first, FIRST_STORED_AT));
    assertThat(store.find(second)).contains(imageRow(second, FIRST_STORED_AT));
  }

  @Test
  void shouldReplaceChangedColumnsButKeepTheFirstStoredAt() {
    // Given
    MediaIdentity id = identity();
    store.upsert(imageRow(id, FIRST_STORED_AT));
    ProcessedMedia reprocessed = TestEvents.image(id);
    reprocessed.getImage().setCaption("a dog after all");
    reprocessed.setWarnings(List.of());

    // When
    store.upsert(row(reprocessed, LATER_STORED_AT));

    // Then
    MediaRow stored = store.find(id).orElseThrow();
    assertThat(stored).isEqualTo(row(reprocessed, FIRST_STORED_AT));
    assertThat(stored.caption()).isEqualTo("a dog after all");
    assertThat(stored.warningsJson()).isEqualTo("[]");
  }

  @Test
  void shouldRoundTripNullsUnicodeAndExtremeNumbers() {
    // Given
    MediaIdentity id = identity("プロジェクト 😀", "run/'; DROP TABLE media_item; --", "", Long.MAX_VALUE,
        Integer.MIN_VALUE);
    MediaRow withoutImage = row(TestEvents.histogram(id), Long.MAX_VALUE);

    // When
    store.upsert(withoutImage);

    // Then
    assertThat(store.find(id)).contains(withoutImage);
    assertThat(withoutImage.width()).isNull();
    assertThat(withoutImage.byteSize()).isNull();
  }

  @Test
  void shouldFindNothingForAnUnknownItem() {
    // Given
    store.upsert(imageRow(identity("p", "r", "k", 1, 0), FIRST_STORED_AT));

    // When / Then
    assertThat(store.find(identity("p", "r", "k", 1, 1))).isEmpty();
    assertThat(store.find(identity("p", "r", "k", 2, 0))).isEmpty();
  }

  @Test
  void shouldKeepRowsWhenTheStoreIsReopened() {
    // Given
    MediaIdentity id = identity();
    store.upsert(imageRow(id, FIRST_STORED_AT));
    store.close();

    // When (migrations already applied: the second open must not fail or touch the data)
    store = openStore();

    // Then
    assertThat(store.count()).isEqualTo(1);
    assertThat(store.find(id)).contains(imageRow(id, FIRST_STORED_AT));
  }

  @Test
  void shouldWriteTheDerivedRowsOnceWhenTheSameItemIsUpsertedTwice() throws SQLException {
    // Given an image row with two boxes (three scores) and a class set of two
    MediaRow row = withOverlays(imageRow(identity(), FIRST_STORED_AT), TWO_BOXES);
    store.upsert(row);
    List<Long> afterFirstWrite = derivedCounts();

    // When the same item is written again (a redelivery)
    store.upsert(row);

    // Then nothing was added: boxes, scores, classes
    assertThat(afterFirstWrite).containsExactly(2L, 3L, 2L, 0L, 0L);
    assertThat(derivedCounts()).isEqualTo(afterFirstWrite);
    assertThat(queryDouble("SELECT rel_max_x FROM media_box WHERE box_index = 1")).isEqualTo(15.0 / 16);
    assertThat(queryDouble("SELECT px_min_x FROM media_box WHERE box_index = 0")).isEqualTo(0.25 * 16);
  }

  @Test
  void shouldReplaceTheDerivedRowsWhenTheItemChanges() throws SQLException {
    // Given an image stored with two boxes
    MediaRow twoBoxes = withOverlays(imageRow(identity(), FIRST_STORED_AT), TWO_BOXES);
    store.upsert(twoBoxes);

    // When it is stored again without boxes
    store.upsert(withOverlays(twoBoxes, "{\"boxes\": {}, \"masks\": {}}"));

    // Then its boxes and scores are gone; the class set (from classes_json) stays
    assertThat(derivedCounts()).containsExactly(0L, 0L, 2L, 0L, 0L);
  }

  @Test
  void shouldStoreHistogramBinsAndFacts() throws SQLException {
    // Given a histogram of three bins and an audio clip
    MediaRow histogram = otherRow("histogram", "{\"_type\": \"histogram\", \"values\": [1, 2, 3],"
        + " \"bins\": [0.0, 1.0, 2.0, 3.0]}");
    MediaRow audio = otherRow("audio", "{\"sample_rate\": 8000, \"channels\": 1, \"duration_seconds\": 0.5}");

    // When
    store.upsert(histogram);
    store.upsert(audio);

    // Then one row per bin, one facts row
    assertThat(derivedCounts()).containsExactly(0L, 0L, 0L, 3L, 1L);
    assertThat(queryDouble("SELECT SUM(bin_count * right_edge) FROM histogram_bin")).isEqualTo(1 + 4 + 9);
    assertThat(queryDouble("SELECT duration_seconds FROM media_facts WHERE sample_rate = 8000")).isEqualTo(0.5);
  }

  private static MediaRow otherRow(String mediaType, String metadataJson) {
    return new MediaRow("p", "r", mediaType, 1, 0, mediaType, null, "{}", null, null, null, null, null, null,
        null, null, null, "[]", "[]", metadataJson, "producer", 1L, FIRST_STORED_AT);
  }

  private static final String TWO_BOXES = """
      {"boxes": {"predictions": {"class_labels": {"1": "pedestrian", "2": "car"}, "box_data": [
        {"position": {"minX": 0.25, "maxX": 0.5, "minY": 0.1, "maxY": 0.2}, "class_id": 1, "label": "pedestrian",
         "scores": {"conf": 0.2, "iou": 0.5}},
        {"position": {"minX": 4, "maxX": 15, "minY": 1, "maxY": 2}, "domain": "pixel", "class_id": 2,
         "label": "car", "box_caption": "red", "scores": {"conf": 0.9}}]}}, "masks": {}}""";

  /** The row with other overlays and the class set {1 pedestrian, 2 car}; width 16 as TestEvents' image. */
  private static MediaRow withOverlays(MediaRow r, String metadataJson) {
    return new MediaRow(r.project(), r.run(), r.logKey(), r.step(), r.itemIndex(), r.mediaType(), r.objectKey(),
        r.objectKeysJson(), r.contentType(), r.byteSize(), r.sha256(), 16, 8, r.mode(), r.format(),
        r.caption(), r.grouping(), "[{\"id\":1,\"name\":\"pedestrian\"},{\"id\":2,\"name\":\"car\"}]",
        r.warningsJson(), metadataJson, r.producerId(), r.loggedAt(), r.storedAt());
  }

  /** Rows of media_box, media_box_score, media_class, histogram_bin, media_facts. */
  private List<Long> derivedCounts() throws SQLException {
    List<Long> counts = new java.util.ArrayList<>();
    for (String table : List.of("media_box", "media_box_score", "media_class", "histogram_bin", "media_facts")) {
      counts.add((long) queryDouble("SELECT COUNT(*) FROM " + table));
    }
    return counts;
  }

  private double queryDouble(String sql) throws SQLException {
    try (Connection c = reader(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).as(sql).isTrue();
      return rs.getDouble(1);
    }
  }

  private static MediaRow imageRow(MediaIdentity id, long storedAt) {
    return row(TestEvents.image(id), storedAt);
  }

  private static MediaRow row(ProcessedMedia event, long storedAt) {
    return MediaRows.from(event, new ObjectKeys().keysFor(event), storedAt);
  }
}
