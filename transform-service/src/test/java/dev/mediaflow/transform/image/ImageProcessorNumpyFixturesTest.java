package dev.mediaflow.transform.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares the kernel with numpy: every case of fixtures/image/cases.json holds an input
 * array and the uint8 array that wandb's numpy code produces from it
 * (tools/fixtures/make_image_fixtures.py). The PNG written by the kernel must decode to
 * exactly those bytes.
 *
 * <p>Cases flagged {@code platformDependent} cast negative or >255 floats with
 * normalize=false; numpy's result there is the x86_64 one (the fixtures were made on
 * x86_64), which the kernel emulates everywhere.
 */
class ImageProcessorNumpyFixturesTest {

  static Stream<Arguments> cases() {
    JsonNode manifest = ImageFixtures.manifest();
    return StreamSupport.stream(manifest.get("cases").spliterator(), false)
        .map(c -> Arguments.of(c.get("name").asText(), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldEncodePngWhosePixelsEqualNumpyReference(String name, JsonNode c) {
    // Given
    PixelArray input = ImageFixtures.npy(c.get("input").asText()).toPixelArray();
    NpyFixtureReader.Npy expected = ImageFixtures.npy(c.get("expected").asText());
    ImageRequest request = ImageRequest.builder(input)
        .chwLayout(c.get("chw").asBoolean())
        .normalize(c.get("normalize").asBoolean())
        .mode(c.get("mode").isNull() ? null : c.get("mode").asText())
        .fileType("png")
        .build();

    // When
    ProcessedImage image = ImageProcessor.process(request);

    // Then
    long[] shape = expected.shape();
    assertThat(image.height()).as("height").isEqualTo(shape[0]);
    assertThat(image.width()).as("width").isEqualTo(shape[1]);
    assertThat(image.mode()).isEqualTo(c.get("expectedMode").asText());
    assertThat(image.format()).isEqualTo("png");
    assertThat(image.extension()).isEqualTo("png");
    assertThat(image.contentType()).isEqualTo("image/png");
    if (c.get("expectWarning").asBoolean()) {
      assertThat(image.warnings()).singleElement().asString().contains("outside [0, 255]");
    } else {
      assertThat(image.warnings()).isEmpty();
    }
    BufferedImage decoded = ImageFixtures.decode(image.encoded());
    int channels = shape.length == 3 ? (int) shape[2] : 1;
    assertThat(decoded.getRaster().getNumBands()).isEqualTo(channels);
    assertThat(decoded.getWidth()).isEqualTo(image.width());
    assertThat(decoded.getHeight()).isEqualTo(image.height());
    assertThat(ImageFixtures.pixels(decoded)).containsExactly(expected.unsignedBytes());
  }

  /** Channels-last cases: the squeeze keeps the element order, so values compare 1:1. */
  static Stream<Arguments> channelsLastCases() {
    return cases().filter(a -> !((JsonNode) a.get()[1]).get("chw").asBoolean());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("channelsLastCases")
  void shouldConvertValuesLikeNumpyInSourceOrder(String name, JsonNode c) {
    // Given
    PixelArray input = ImageFixtures.npy(c.get("input").asText()).toPixelArray();
    NpyFixtureReader.Npy expected = ImageFixtures.npy(c.get("expected").asText());
    List<String> warnings = new ArrayList<>();

    // When
    byte[] u8 = PixelNormalizer.toUint8(input, c.get("normalize").asBoolean(), warnings);

    // Then
    assertThat(u8).containsExactly(expected.data());
    assertThat(warnings).hasSize(c.get("expectWarning").asBoolean() ? 1 : 0);
  }

  @Test
  void shouldCoverEveryDtypeWithEveryBranchAndLayout() {
    // Given
    JsonNode manifest = ImageFixtures.manifest();
    Set<String> seen = new HashSet<>();
    Set<String> layouts = new HashSet<>();

    // When
    for (JsonNode c : manifest.get("cases")) {
      seen.add(c.get("dtype").asText() + "/" + c.get("branch").asText());
      layouts.add(c.get("shape").size() + "d" + (c.get("chw").asBoolean() ? "-chw" : "") + "/"
          + c.get("expectedMode").asText());
    }

    // Then
    for (PixelArray.Dtype dtype : PixelArray.Dtype.values()) {
      assertThat(seen).as(dtype.numpyName()).contains(dtype + "/unit", dtype + "/clip", dtype + "/cast");
      if (dtype.isSigned()) {
        assertThat(seen).contains(dtype + "/signed_unit");
      }
    }
    assertThat(layouts).contains("2d/L", "3d/RGB", "3d/RGBA", "4d/L", "3d-chw/RGB", "3d-chw/RGBA", "3d-chw/L");
    assertThat(manifest.get("machine").asText()).as("fixtures generated on").isIn("x86_64", "AMD64");
  }
}
