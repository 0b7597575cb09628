package dev.mediaflow.transform.audio;

import dev.mediaflow.transform.EncodedMedia;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediaflow.transform.image.PixelArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares our WAV files byte for byte with the ones soundfile wrote for the same samples
 * (what wandb.Audio stores). Fixtures: tools/fixtures/make_media_fixtures.py.
 */
class AudioEncoderFixturesTest {

  private static final String DIR = "/fixtures/audio/";

  static byte[] resource(String name) {
    try (InputStream in = AudioEncoderFixturesTest.class.getResourceAsStream(DIR + name)) {
      assertThat(in).as("fixture " + name).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode manifest() {
    try {
      return new ObjectMapper().readTree(resource("cases.json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<JsonNode> cases() {
    return StreamSupport.stream(manifest().get("cases").spliterator(), false);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldWriteTheSameWavBytesAsSoundfile(JsonNode c) {
    // Given
    String name = c.get("name").asText();
    long[] shape = StreamSupport.stream(c.get("shape").spliterator(), false).mapToLong(JsonNode::asLong).toArray();
    PixelArray samples = PixelArray.of(PixelArray.Dtype.fromNumpyName(c.get("dtype").asText()), shape,
        resource(name + ".in.bin"));
    byte[] expected = resource(name + ".wav");

    // When
    EncodedMedia audio = AudioEncoder.fromSamples(samples, c.get("sample_rate").asInt());

    // Then
    assertThat(audio.data()).as(name).isEqualTo(expected);
  }

  @Test
  void shouldRecordWhichLibsndfileWroteTheFixtures() {
    // Given / When
    JsonNode manifest = manifest();

    // Then: the reference the byte comparison stands on
    assertThat(manifest.get("libsndfile").asText()).isNotEmpty();
    assertThat(manifest.get("cases").size()).isGreaterThanOrEqualTo(9);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldReadBackTheHeaderOfEverySoundfileWav(JsonNode c) {
    // Given
    String name = c.get("name").asText();
    JsonNode shape = c.get("shape");

    // When
    EncodedMedia audio = AudioFiles.inspect(name + ".wav", resource(name + ".wav"));

    // Then
    assertThat(audio.metadata())
        .containsEntry("sample_rate", c.get("sample_rate").asInt())
        .containsEntry("channels", shape.size() == 1 ? 1 : shape.get(1).asInt())
        .containsEntry("samples", shape.get(0).asLong())
        .containsEntry("bits_per_sample", 16);
    assertThat(audio.warnings()).isEmpty();
  }
}
