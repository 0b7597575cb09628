package dev.mediaflow.sink.sql;

import static dev.mediaflow.sink.TestEvents.identity;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.schemas.avro.MediaIdentity;
import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.sink.MediaRows;
import dev.mediaflow.sink.ObjectKeys;
import dev.mediaflow.sink.TestEvents;
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

  private static MediaRow imageRow(MediaIdentity id, long storedAt) {
    return row(TestEvents.image(id), storedAt);
  }

  private static MediaRow row(ProcessedMedia event, long storedAt) {
    return MediaRows.from(event, new ObjectKeys().keysFor(event), storedAt);
  }
}
