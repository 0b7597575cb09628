package dev.mediaflow.transform.audio;

import dev.mediaflow.transform.EncodedMedia;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.transform.MediaRejectedException;
import dev.mediaflow.transform.image.PixelArray;
import dev.mediaflow.transform.image.PixelArray.Dtype;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class AudioEncoderTest {

  static PixelArray float64(long[] shape, double... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      b.putDouble(v);
    }
    return PixelArray.of(Dtype.FLOAT64, shape, b.array());
  }

  static PixelArray float32(long[] shape, float... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return PixelArray.of(Dtype.FLOAT32, shape, b.array());
  }

  static PixelArray int32(long[] shape, int... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      b.putInt(v);
    }
    return PixelArray.of(Dtype.INT32, shape, b.array());
  }

  static PixelArray int16(long[] shape, short... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (short v : values) {
      b.putShort(v);
    }
    return PixelArray.of(Dtype.INT16, shape, b.array());
  }

  static short[] pcm(byte[] wav) {
    ByteBuffer b = ByteBuffer.wrap(wav, 44, wav.length - 44).order(ByteOrder.LITTLE_ENDIAN);
    short[] out = new short[b.remaining() / 2];
    b.asShortBuffer().get(out);
    return out;
  }

  /**
   * The documented libsndfile rule (d2les_clip_array with soundfile's clipping on), written
   * independently of the code under test.
   */
  static short libsndfileRule(double x) {
    double s = x * Math.pow(2, 31);
    if (s >= Integer.MAX_VALUE) {
      return 32767;
    }
    if (Double.isNaN(s) || s <= Integer.MIN_VALUE) {
      return -32768;
    }
    return (short) Math.floorDiv((long) Math.rint(s), 65536L);
  }

  // ----------------------------------------------------------------------------- sample rate

  @Test
  void shouldRejectAudioWithoutSampleRate() {
    // Given
    PixelArray samples = float64(new long[] {2}, 0.1, 0.2);

    // When / Then
    assertThatThrownBy(() -> AudioEncoder.fromSamples(samples, null))
        .isInstanceOf(AudioRejectedException.class)
        .isInstanceOf(MediaRejectedException.class)
        .hasMessage("audio needs sample_rate");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -8000})
  void shouldRejectNonPositiveSampleRate(int rate) {
    // Given
    PixelArray samples = float64(new long[] {2}, 0.1, 0.2);

    // When / Then
    assertThatThrownBy(() -> AudioEncoder.fromSamples(samples, rate))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessage("sample_rate must be positive, got " + rate);
  }

  @Test
  void shouldRejectSampleRateWhoseByteRateOverflowsTheHeader() {
    // Given: 2^31-1 Hz x 2 channels x 2 bytes does not fit 32 bits
    PixelArray samples = float64(new long[] {1, 2}, 0.1, 0.2);

    // When / Then
    assertThatThrownBy(() -> AudioEncoder.fromSamples(samples, Integer.MAX_VALUE))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessageContaining("overflows the WAV header's byte rate");
  }

  // ----------------------------------------------------------------------------- dtype and shape

  @ParameterizedTest
  @EnumSource(value = Dtype.class, names = {"UINT8", "INT8", "UINT16", "INT64"})
  void shouldRejectDtypesThatSoundfileRejects(Dtype dtype) {
    // Given
    PixelArray samples = PixelArray.of(dtype, new long[] {4}, new byte[4 * dtype.byteWidth()]);

    // When / Then
    assertThatThrownBy(() -> AudioEncoder.fromSamples(samples, 8000))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessage("audio dtype must be one of ['float32', 'float64', 'int16', 'int32'] and not '"
            + dtype.numpyName() + "' (as soundfile requires)");
  }

  @Test
  void shouldRejectThreeDimensionalSamples() {
    // Given
    PixelArray samples = float64(new long[] {2, 1, 1}, 0.1, 0.2);

    // When / Then
    assertThatThrownBy(() -> AudioEncoder.fromSamples(samples, 8000))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessageStartingWith("unsupported audio shape (2, 1, 1)");
  }

  @Test
  void shouldRejectScalarSamples() {
    // Given
    PixelArray samples = float64(new long[] {}, 0.1);

    // When / Then
    assertThatThrownBy(() -> AudioEncoder.fromSamples(samples, 8000))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessageStartingWith("unsupported audio shape ()");
  }

  @Test
  void shouldRejectZeroChannels() {
    // Given
    PixelArray samples = float64(new long[] {5, 0});

    // When / Then
    assertThatThrownBy(() -> AudioEncoder.fromSamples(samples, 8000))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessage("audio shape (5, 0) has 0 channels (supported: 1 to 1024)");
  }

  @Test
  void shouldRejectMoreChannelsThanLibsndfileAllows() {
    // Given
    PixelArray samples = float64(new long[] {1, 1025}, new double[1025]);

    // When / Then
    assertThatThrownBy(() -> AudioEncoder.fromSamples(samples, 8000))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessageContaining("1025 channels");
  }

  // ----------------------------------------------------------------------------- header

  @Test
  void shouldWriteTheLibsndfilePcm16HeaderForMono() {
    // Given
    PixelArray samples = float64(new long[] {3}, 0.0, 0.5, -0.5);

    // When
    EncodedMedia audio = AudioEncoder.fromSamples(samples, 8000);

    // Then
    ByteBuffer h = ByteBuffer.wrap(audio.data()).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(audio.data()).hasSize(44 + 6);
    assertThat(new String(audio.data(), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
    assertThat(h.getInt(4)).isEqualTo(36 + 6);
    assertThat(new String(audio.data(), 8, 8, StandardCharsets.US_ASCII)).isEqualTo("WAVEfmt ");
    assertThat(h.getInt(16)).as("fmt chunk size").isEqualTo(16);
    assertThat(h.getShort(20)).as("format tag PCM").isEqualTo((short) 1);
    assertThat(h.getShort(22)).as("channels").isEqualTo((short) 1);
    assertThat(h.getInt(24)).as("sample rate").isEqualTo(8000);
    assertThat(h.getInt(28)).as("byte rate").isEqualTo(16000);
    assertThat(h.getShort(32)).as("block align").isEqualTo((short) 2);
    assertThat(h.getShort(34)).as("bits per sample").isEqualTo((short) 16);
    assertThat(new String(audio.data(), 36, 4, StandardCharsets.US_ASCII)).isEqualTo("data");
    assertThat(h.getInt(40)).as("data bytes").isEqualTo(6);
    assertThat(pcm(audio.data())).containsExactly((short) 0, (short) 16384, (short) -16384);
    assertThat(audio.extension()).isEqualTo("wav");
    assertThat(audio.contentType()).isEqualTo("audio/wav");
  }

  @Test
  void shouldInterleaveChannelsInRowMajorOrder() {
    // Given: (frames, channels) = (2, 3)
    PixelArray samples = int16(new long[] {2, 3}, (short) 1, (short) 2, (short) 3, (short) 4, (short) 5, (short) 6);

    // When
    EncodedMedia audio = AudioEncoder.fromSamples(samples, 44100);

    // Then
    ByteBuffer h = ByteBuffer.wrap(audio.data()).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(h.getShort(22)).isEqualTo((short) 3);
    assertThat(h.getInt(28)).isEqualTo(44100 * 6);
    assertThat(h.getShort(32)).isEqualTo((short) 6);
    assertThat(pcm(audio.data())).containsExactly((short) 1, (short) 2, (short) 3, (short) 4, (short) 5, (short) 6);
  }

  @Test
  void shouldReportSampleRateChannelsSamplesAndDuration() {
    // Given
    PixelArray samples = float32(new long[] {4000, 2}, new float[8000]);

    // When
    EncodedMedia audio = AudioEncoder.fromSamples(samples, 16000);

    // Then: duration is len(data) / float(sample_rate), as wandb computes it
    assertThat(audio.metadata()).containsExactly(
        org.assertj.core.api.Assertions.entry("sample_rate", 16000),
        org.assertj.core.api.Assertions.entry("channels", 2),
        org.assertj.core.api.Assertions.entry("samples", 4000L),
        org.assertj.core.api.Assertions.entry("duration_seconds", 0.25));
    assertThat(audio.warnings()).isEmpty();
  }

  @Test
  void shouldWriteAnEmptyClipAsAHeaderOnly() {
    // Given
    PixelArray samples = float64(new long[] {0});

    // When
    EncodedMedia audio = AudioEncoder.fromSamples(samples, 8000);

    // Then
    assertThat(audio.data()).hasSize(44);
    assertThat(audio.metadata()).containsEntry("samples", 0L).containsEntry("duration_seconds", 0.0);
  }

  // ----------------------------------------------------------------------------- samples

  @Test
  void shouldConvertFloat64WithLibsndfilesRuleNotRoundTimes32767() {
    // Given: values where libsndfile's (x * 2^31) >> 16 differs from round(x * 32767)
    double[] xs = {0.1, -0.3, -1.0, 1.5 * Math.pow(2, -16), 0.7, 0.5};
    PixelArray samples = float64(new long[] {xs.length}, xs);

    // When
    short[] got = pcm(AudioEncoder.fromSamples(samples, 8000).data());

    // Then: values soundfile 0.12.1 / libsndfile 1.2.0 wrote (fixtures/audio/pcm16_rule.json)
    assertThat(got).containsExactly((short) 3276, (short) -9831, (short) -32768, (short) 0, (short) 22937,
        (short) 16384);
    for (int i = 0; i < xs.length; i++) {
      assertThat(got[i]).as("documented rule for %s", xs[i]).isEqualTo(libsndfileRule(xs[i]));
    }
    assertThat(Math.rint(0.1 * 32767)).as("the often-assumed rule gives another value").isEqualTo(3277.0);
  }

  @Test
  void shouldClipFloatSamplesOutsideTheUnitRangeWithAWarning() {
    // Given
    PixelArray samples = float64(new long[] {6}, 1.0, 1.5, -1.5, 1e300, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY);

    // When
    EncodedMedia audio = AudioEncoder.fromSamples(samples, 8000);

    // Then: 1.0 itself reaches the clip (2^31 >= 0x7FFFFFFF)
    assertThat(pcm(audio.data())).containsExactly((short) 32767, (short) 32767, (short) -32768, (short) 32767,
        (short) 32767, (short) -32768);
    assertThat(audio.warnings()).containsExactly("5 samples outside [-1.0, 1.0] were clipped to the 16-bit range");
  }

  @Test
  void shouldWriteNanAsMostNegativeSampleWithAWarning() {
    // Given
    PixelArray samples = float32(new long[] {2}, Float.NaN, 0.25f);

    // When
    EncodedMedia audio = AudioEncoder.fromSamples(samples, 8000);

    // Then
    assertThat(pcm(audio.data())).containsExactly((short) -32768, (short) 8192);
    assertThat(audio.warnings()).containsExactly("1 NaN samples were written as -32768 (libsndfile on x86_64)");
  }

  @Test
  void shouldConvertFloat32LikeFloat64ForExactlyRepresentableValues() {
    // Given
    float[] xs = {0.1f, -0.3f, 0.999f, -0.999f, 1e-6f, -1e-6f};
    PixelArray samples = float32(new long[] {xs.length}, xs);

    // When
    short[] got = pcm(AudioEncoder.fromSamples(samples, 8000).data());

    // Then: x * 2^31 is exact in float, so the float32 path equals the float64 rule on (double) x
    for (int i = 0; i < xs.length; i++) {
      assertThat(got[i]).as("x=%s", xs[i]).isEqualTo(libsndfileRule(xs[i]));
    }
  }

  @Test
  void shouldWriteInt16SamplesAsTheyAre() {
    // Given
    PixelArray samples = int16(new long[] {4}, Short.MIN_VALUE, (short) -1, (short) 0, Short.MAX_VALUE);

    // When
    EncodedMedia audio = AudioEncoder.fromSamples(samples, 8000);

    // Then
    assertThat(pcm(audio.data())).containsExactly(Short.MIN_VALUE, (short) -1, (short) 0, Short.MAX_VALUE);
  }

  @Test
  void shouldKeepTheHighSixteenBitsOfInt32Samples() {
    // Given
    PixelArray samples = int32(new long[] {5}, 65536, 98304, -65536, Integer.MAX_VALUE, Integer.MIN_VALUE);

    // When
    EncodedMedia audio = AudioEncoder.fromSamples(samples, 8000);

    // Then
    assertThat(pcm(audio.data())).containsExactly((short) 1, (short) 1, (short) -1, (short) 32767, (short) -32768);
    assertThat(audio.warnings()).isEmpty();
  }

  @Test
  void shouldWarnWhenInt32AudioOnlyUsesTheInt16Range() {
    // Given: int16-range values sent as int32 become 0 / -1 after libsndfile's >> 16
    PixelArray samples = int32(new long[] {3}, 1000, -1000, 32767);

    // When
    EncodedMedia audio = AudioEncoder.fromSamples(samples, 8000);

    // Then
    assertThat(pcm(audio.data())).containsExactly((short) 0, (short) -1, (short) 0);
    assertThat(audio.warnings()).singleElement().asString().contains("near silence");
  }

  @Test
  void shouldNotChangeTheCallersBytes() {
    // Given
    PixelArray samples = float64(new long[] {2}, 0.5, -0.5);
    byte[] before = new byte[16];
    samples.data().get(0, before);

    // When
    AudioEncoder.fromSamples(samples, 8000);

    // Then
    byte[] after = new byte[16];
    samples.data().get(0, after);
    assertThat(Arrays.equals(before, after)).isTrue();
  }
}
