package dev.mediaflow.sink;

import dev.mediaflow.schemas.avro.ClassLabel;
import dev.mediaflow.schemas.avro.ImageInfo;
import dev.mediaflow.schemas.avro.MediaIdentity;
import dev.mediaflow.schemas.avro.MediaObject;
import dev.mediaflow.schemas.avro.ProcessedMedia;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** Events and identities for sink tests. */
public final class TestEvents {

  public static final Instant LOGGED_AT = Instant.parse("2025-11-21T10:15:30.123Z");

  private TestEvents() {
  }

  public static MediaIdentity identity(String project, String run, String key, long step, int index) {
    return MediaIdentity.newBuilder()
        .setProject(project).setRun(run).setKey(key).setStep(step).setIndex(index)
        .build();
  }

  public static MediaIdentity identity() {
    return identity("vision", "run-1", "examples", 42, 3);
  }

  public static MediaObject object(String role, String extension, String contentType, String data) {
    return MediaObject.newBuilder()
        .setRole(role).setExtension(extension).setContentType(contentType)
        .setData(ByteBuffer.wrap(data.getBytes(StandardCharsets.UTF_8)))
        .build();
  }

  /** A PNG image with a caption, a grouping, two classes, one warning and a thumbnail. */
  public static ProcessedMedia image(MediaIdentity identity) {
    return ProcessedMedia.newBuilder()
        .setIdentity(identity)
        .setTimestamp(LOGGED_AT)
        .setProducerId("trainer-7")
        .setMediaType("image")
        .setObjects(List.of(
            object("image", "png", "image/png", "abc"),
            object("thumbnail", "jpg", "image/jpeg", "small")))
        .setWarnings(List.of("values outside [0, 255] were clipped"))
        .setImage(ImageInfo.newBuilder()
            .setWidth(640).setHeight(480).setMode("RGB").setFormat("png")
            .setCaption("a cat, \"probably\"").setGrouping(2)
            .setClasses(List.of(
                ClassLabel.newBuilder().setId(1).setName("cat").build(),
                ClassLabel.newBuilder().setId(2).setName("dog").build()))
            .build())
        .build();
  }

  /** A media item of another type, without image info and without objects. */
  public static ProcessedMedia histogram(MediaIdentity identity) {
    return ProcessedMedia.newBuilder()
        .setIdentity(identity)
        .setTimestamp(LOGGED_AT)
        .setProducerId("trainer-7")
        .setMediaType("histogram")
        .setObjects(List.of())
        .setImage(null)
        .build();
  }
}
