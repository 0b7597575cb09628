package dev.mediaflow.sink;

import static dev.mediaflow.sink.TestEvents.identity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.schemas.avro.MediaIdentity;
import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.sink.s3.LocalS3;
import dev.mediaflow.sink.s3.ObjectStore;
import dev.mediaflow.sink.s3.ObjectStoreException;
import dev.mediaflow.sink.sql.MediaRow;
import dev.mediaflow.sink.sql.MetadataStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer against a real S3 endpoint (S3Proxy) and a real SQLite file. */
class MediaSinkIT {

  private static final Instant FIRST_WRITE = Instant.parse("2025-11-21T12:00:00Z");
  private static final Instant REPLAY = Instant.parse("2025-11-22T08:30:00Z");

  @TempDir
  Path dataDir;

  private LocalS3 s3;
  private ObjectStore objects;
  private MetadataStore metadata;

  @BeforeEach
  void startStores() {
    s3 = LocalS3.start(dataDir.resolve("s3"));
    objects = new ObjectStore(s3.client(), "mediaflow");
    objects.ensureBucket();
    metadata = new MetadataStore("jdbc:sqlite:" + dataDir.resolve("metadata.db"));
  }

  @AfterEach
  void stopStores() {
    metadata.close();
    s3.close();
  }

  @Test
  void shouldStoreEachObjectOnceAndOneIdenticalRowWhenTheSameEventIsWrittenTwice() {
    // Given
    MediaIdentity id = identity("vision", "run 1/../x", "examples", 42, 3);
    ProcessedMedia event = TestEvents.image(id);
    sinkAt(FIRST_WRITE).write(event);
    MediaRow firstRow = metadata.find(id).orElseThrow();

    // When (a replay, by another sink instance, a day later)
    sinkAt(REPLAY).write(event);

    // Then
    String prefix = "media/vision/run%201%2F.%2E%2Fx/examples/000000000042/";
    assertThat(s3.keys("mediaflow")).containsExactlyInAnyOrder(prefix + "3.png", prefix + "3-thumbnail.jpg");
    assertThat(s3.read("mediaflow", prefix + "3.png")).isEqualTo(utf8("abc"));
    assertThat(s3.read("mediaflow", prefix + "3-thumbnail.jpg")).isEqualTo(utf8("small"));
    assertThat(metadata.count()).isEqualTo(1);
    assertThat(metadata.find(id)).contains(firstRow);
    assertThat(firstRow.storedAt()).isEqualTo(FIRST_WRITE.toEpochMilli());
    assertThat(firstRow.objectKey()).isEqualTo(prefix + "3.png");
    assertThat(s3.client().headObject(b -> b.bucket("mediaflow").key(prefix + "3.png")).metadata())
        .containsEntry(ObjectStore.SHA256_METADATA, firstRow.sha256());
  }

  @Test
  void shouldWriteNothingForAnEventThatCanNeverBeStored() {
    // Given
    ProcessedMedia event = TestEvents.image(identity());
    event.setObjects(List.of(
        TestEvents.object("image", "png", "image/png", "a"),
        TestEvents.object("main", "png", "image/png", "b")));

    // When / Then
    assertThatThrownBy(() -> sinkAt(FIRST_WRITE).write(event)).isInstanceOf(UnstorableItemException.class);
    assertThat(s3.keys("mediaflow")).isEmpty();
    assertThat(metadata.count()).isZero();
  }

  @Test
  void shouldWriteNoRowWhileS3IsDownAndStoreTheItemWhenRetried() {
    // Given
    ProcessedMedia event = TestEvents.image(identity());
    s3.server().stop();

    // When
    assertThatThrownBy(() -> sinkAt(FIRST_WRITE).write(event)).isInstanceOf(ObjectStoreException.class);
    long rowsDuringOutage = metadata.count();
    s3.server().restart();
    sinkAt(REPLAY).write(event);

    // Then
    assertThat(rowsDuringOutage).isZero();
    assertThat(metadata.count()).isEqualTo(1);
    assertThat(s3.keys("mediaflow")).hasSize(2);
  }

  private MediaSink sinkAt(Instant now) {
    return new MediaSink(objects, metadata, new ObjectKeys(), Clock.fixed(now, ZoneOffset.UTC));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
