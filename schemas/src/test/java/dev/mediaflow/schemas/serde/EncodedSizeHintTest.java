package dev.mediaflow.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.schemas.avro.ClassLabel;
import dev.mediaflow.schemas.avro.ImageInfo;
import dev.mediaflow.schemas.avro.MediaIdentity;
import dev.mediaflow.schemas.avro.MediaObject;
import dev.mediaflow.schemas.avro.ProcessedMedia;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class EncodedSizeHintTest {

  @Test
  void shouldBeAtLeastTheEncodedSizeAndCloseToItWhenBytesDominate() throws IOException {
    // Given an event carrying 3 MB in two objects (one a view with an offset), non-ASCII text and nested records
    byte[] backing = new byte[2_000_100];
    ProcessedMedia event = ProcessedMedia.newBuilder()
        .setIdentity(MediaIdentity.newBuilder().setProject("p").setRun("r").setKey("k").setStep(1L << 40)
            .setIndex(7).build())
        .setTimestamp(Instant.parse("2026-12-02T10:00:00Z"))
        .setProducerId("trainer-ü-7")
        .setMediaType("image")
        .setObjects(List.of(
            MediaObject.newBuilder().setRole("image").setExtension("png").setContentType("image/png")
                .setData(ByteBuffer.wrap(backing, 100, 2_000_000).slice()).build(),
            MediaObject.newBuilder().setRole("thumbnail").setExtension("jpg").setContentType("image/jpeg")
                .setData(ByteBuffer.allocate(1_000_000)).build()))
        .setWarnings(List.of("values outside [0, 255] were clipped", "größer als erwartet"))
        .setImage(ImageInfo.newBuilder().setWidth(640).setHeight(480).setMode("RGB").setFormat("png")
            .setCaption("a cat ✓").setGrouping(2)
            .setClasses(List.of(ClassLabel.newBuilder().setId(1).setName("cat").build())).build())
        .setMetadataJson("{\"values\": [1, 2, 3]}")
        .build();

    // When
    int hint = EncodedSizeHint.of(event);

    // Then
    int actual = encodedSize(event);
    assertThat(hint).isGreaterThanOrEqualTo(actual);
    assertThat(hint - actual).isLessThan(2_000); // no megabytes over: one allocation of about the right size
  }

  @Test
  void shouldCoverASmallEventWithoutOptionalParts() throws IOException {
    // Given an event without optional parts
    ProcessedMedia event = ProcessedMedia.newBuilder()
        .setIdentity(MediaIdentity.newBuilder().setProject("p").setRun("r").setKey("k").setStep(1).setIndex(0).build())
        .setTimestamp(Instant.parse("2026-12-02T10:00:00Z"))
        .setProducerId("x")
        .setMediaType("histogram")
        .setObjects(List.of())
        .build();

    // When the hint is small, the encoding still holds the whole record
    assertThat(EncodedSizeHint.of(event)).isGreaterThanOrEqualTo(encodedSize(event));
  }

  private static int encodedSize(ProcessedMedia event) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    new SpecificDatumWriter<ProcessedMedia>(ProcessedMedia.getClassSchema()).write(event, encoder);
    encoder.flush();
    return out.size();
  }
}
