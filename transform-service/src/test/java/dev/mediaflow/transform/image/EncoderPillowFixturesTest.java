package dev.mediaflow.transform.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares our encoders with Pillow's files for the same arrays
 * (tools/fixtures/make_encoder_fixtures.py, fixtures/encoders/): JPEG byte for byte with
 * both writers, and through {@link ImageProcessor#process} with the writer chosen at
 * start-up; PNG by decoded pixels and by size against Pillow's.
 */
class EncoderPillowFixturesTest {
  private static final String DIR = "/fixtures/encoders/";

  static Stream<Arguments> cases() {
    JsonNode manifest;
    try {
      manifest = new ObjectMapper().readTree(bytes("cases.json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return StreamSupport.stream(manifest.get("cases").spliterator(), false)
        .map(c -> Arguments.of(c.get("name").asText(), c.get("channels").asInt()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void imageIoWriterShouldWritePillowsJpegBytes(String name, int channels) {
    assertWritesPillowsBytes(new ImageIoJpegWriter(), name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void turboJpegWriterShouldWritePillowsJpegBytes(String name, int channels) {
    JpegWriter turbo = JpegWritersTest.installedTurboJpeg();
    Assumptions.assumeTrue(turbo != null, "SKIPPED: libturbojpeg-java / libturbojpeg0 not installed");
    assertWritesPillowsBytes(turbo, name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void processShouldWritePillowsJpegBytesForJpg(String name, int channels) {
    // Given
    NpyFixtureReader.Npy input = NpyFixtureReader.read(bytes(name + ".npy"));

    // When
    ProcessedImage image = ImageProcessor.process(ImageRequest.builder(input.toPixelArray()).fileType("jpg").build());

    // Then: RGBA loses its alpha (with a warning), as the fixture's RGB-only save does
    assertThat(image.encoded()).as(JpegWriters.active().name()).isEqualTo(bytes(name + ".jpg"));
    assertThat(image.mode()).isEqualTo(channels == 1 ? "L" : "RGB");
    assertThat(image.warnings()).hasSize(channels == 4 ? 1 : 0);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void processShouldWritePngWithTheSamePixelsAtMostPillowsSizeForPng(String name, int channels) {
    // Given
    NpyFixtureReader.Npy input = NpyFixtureReader.read(bytes(name + ".npy"));

    // When
    ProcessedImage image = ImageProcessor.process(ImageRequest.builder(input.toPixelArray()).build());

    // Then
    BufferedImage decoded = ImageFixtures.decode(image.encoded());
    assertThat(decoded.getRaster().getNumBands()).isEqualTo(channels);
    assertThat(ImageFixtures.pixels(decoded)).isEqualTo(input.unsignedBytes()); // isEqualTo: linear on large arrays
    assertThat((double) image.encoded().length).as("our size / Pillow's")
        .isLessThanOrEqualTo(1.05 * bytes(name + ".png").length);
  }

  private static void assertWritesPillowsBytes(JpegWriter writer, String name) {
    // Given: the array's pixels as rows of gray or RGB (alpha dropped, as the pipeline does)
    NpyFixtureReader.Npy input = NpyFixtureReader.read(bytes(name + ".npy"));
    long[] shape = input.shape();
    int channels = shape.length == 3 ? (int) shape[2] : 1;
    int written = channels == 1 ? 1 : 3;
    byte[] pixels = new byte[(int) (shape[0] * shape[1] * written)];
    for (int p = 0, d = 0; p < input.data().length; p += channels) {
      for (int c = 0; c < written; c++) {
        pixels[d++] = input.data()[p + c];
      }
    }

    // When
    byte[] jpeg = writer.write(pixels, (int) shape[1], (int) shape[0], written, 75);

    // Then
    assertThat(jpeg).as(writer.name() + " vs Pillow").isEqualTo(bytes(name + ".jpg"));
  }

  static byte[] bytes(String name) {
    try (InputStream in = EncoderPillowFixturesTest.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("missing " + DIR + name + "; run "
            + "/usr/bin/python3 tools/fixtures/make_encoder_fixtures.py");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
