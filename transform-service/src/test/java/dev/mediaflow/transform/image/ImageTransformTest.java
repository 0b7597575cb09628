package dev.mediaflow.transform.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediaflow.schemas.avro.Box;
import dev.mediaflow.schemas.avro.BoxGroup;
import dev.mediaflow.schemas.avro.ClassLabel;
import dev.mediaflow.schemas.avro.ImagePayload;
import dev.mediaflow.schemas.avro.MaskGroup;
import dev.mediaflow.schemas.avro.MediaEvent;
import dev.mediaflow.schemas.avro.MediaIdentity;
import dev.mediaflow.schemas.avro.NdArray;
import dev.mediaflow.schemas.avro.ProcessedMedia;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The image event adapter: overlays, class set and objects of a processed image. */
class ImageTransformTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ImageTransform transform = new ImageTransform();

  @Test
  void shouldNormalizeBothBoxFormsAndDefaultMissingLabels() throws Exception {
    // Given a group mixing min/max and middle/width/height boxes, one class without a label
    Box minMax = Box.newBuilder().setMinX(0.1).setMaxX(0.5).setMinY(0.2).setMaxY(0.6).setClassId(1)
        .setScores(Map.of("acc", 0.9)).build();
    Box middle = Box.newBuilder().setMiddle(List.of(4.0, 4.0)).setWidth(2.0).setHeight(4.0).setClassId(7)
        .setDomain("pixel").setBoxCaption("seven").build();
    ImagePayload image = gray(8, 8).setClasses(List.of(new ClassLabel(0, "background")))
        .setBoxes(Map.of("predictions", new BoxGroup(List.of(minMax, middle), Map.of("1", "cat")))).build();

    // When
    ProcessedMedia out = transform.apply(event(image), image);

    // Then
    JsonNode boxes = JSON.readTree(out.getMetadataJson()).at("/boxes/predictions/box_data");
    assertThat(boxes.get(0).at("/position/maxY").asDouble()).isEqualTo(0.6);
    assertThat(boxes.get(0).get("label").asText()).isEqualTo("cat");
    assertThat(boxes.get(0).at("/scores/acc").asDouble()).isEqualTo(0.9);
    assertThat(boxes.get(1).at("/position/minX").asDouble()).isEqualTo(3.0);
    assertThat(boxes.get(1).at("/position/maxY").asDouble()).isEqualTo(6.0);
    assertThat(boxes.get(1).get("label").asText()).isEqualTo("class_7");
    assertThat(out.getImage().getClasses()).extracting(ClassLabel::getName)
        .containsExactly("background", "cat", "class_7");
  }

  @Test
  void shouldStoreMasksAsClassIdPngsBesideTheImage() {
    // Given an 8×8 mask of class ids 0..3
    byte[] ids = new byte[64];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = (byte) (i % 4);
    }
    ImagePayload image = gray(8, 8).setMasks(Map.of("seg", MaskGroup.newBuilder()
        .setMaskData(new NdArray("uint8", List.of(8L, 8L), ByteBuffer.wrap(ids)))
        .setClassLabels(Map.of("3", "road")).build())).build();

    // When
    ProcessedMedia out = transform.apply(event(image), image);

    // Then
    assertThat(out.getObjects()).extracting(o -> o.getRole()).containsExactly("image", "mask-seg");
    assertThat(out.getImage().getClasses()).extracting(ClassLabel::getName).containsExactly("road");
  }

  @Test
  void shouldRejectAMaskOfAnotherSize() {
    ImagePayload image = gray(8, 8).setMasks(Map.of("seg", MaskGroup.newBuilder()
        .setMaskData(new NdArray("int32", List.of(4L, 8L), ByteBuffer.wrap(new byte[4 * 8 * 4]))).build())).build();
    assertThatThrownBy(() -> transform.apply(event(image), image))
        .isInstanceOf(ImageRejectedException.class)
        .hasMessage("mask \"seg\" is 4×8 (height×width), the image is 8×8");
  }

  @Test
  void shouldRejectABoxDomainOtherThanPixel() {
    Box box = Box.newBuilder().setMinX(0.0).setMaxX(1.0).setMinY(0.0).setMaxY(1.0).setClassId(0)
        .setDomain("percent").build();
    ImagePayload image = gray(8, 8).setBoxes(Map.of("g", new BoxGroup(List.of(box), Map.of()))).build();
    assertThatThrownBy(() -> transform.apply(event(image), image)).hasMessageContaining("box group \"g\" box 0: domain");
  }

  private static ImagePayload.Builder gray(int h, int w) {
    return ImagePayload.newBuilder().setArray(new NdArray("uint8", List.of((long) h, (long) w),
        ByteBuffer.wrap(new byte[h * w])));
  }

  private static MediaEvent event(ImagePayload image) {
    return MediaEvent.newBuilder().setIdentity(new MediaIdentity("p", "r", "k", 0L, 0))
        .setTimestamp(Instant.EPOCH).setProducerId("t").setPayload(image).build();
  }
}
