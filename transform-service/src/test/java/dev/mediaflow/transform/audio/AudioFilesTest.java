package dev.mediaflow.transform.audio;

import dev.mediaflow.transform.EncodedMedia;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AudioFilesTest {

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] le32(long v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array();
  }

  static byte[] le16(int v) {
    return ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) v).array();
  }

  static byte[] chunk(String id, byte[] body) {
    byte[] pad = (body.length & 1) == 1 ? new byte[1] : new byte[0];
    return concat(ascii(id), le32(body.length), body, pad);
  }

  static byte[] fmt(int tag, int channels, int rate, int blockAlign, int bits) {
    return chunk("fmt ", concat(le16(tag), le16(channels), le32(rate), le32((long) rate * blockAlign),
        le16(blockAlign), le16(bits)));
  }

  static byte[] riff(byte[]... chunks) {
    byte[] body = concat(chunks);
    return concat(ascii("RIFF"), le32(4 + body.length), ascii("WAVE"), body);
  }

  /** A minimal valid file of each type, by its content. */
  static byte[] sample(String type) {
    return switch (type) {
      case "wav" -> riff(fmt(1, 1, 8000, 2, 16), chunk("data", new byte[4]));
      case "mp3" -> new byte[] {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64, 0, 0};
      case "ogg", "oga", "opus" -> concat(ascii("OggS"), new byte[24]);
      case "flac" -> flac(44100, 2, 16, 441000);
      case "m4a" -> concat(new byte[] {0, 0, 0, 0x20}, ascii("ftypM4A "), new byte[20]);
      case "aac" -> new byte[] {(byte) 0xFF, (byte) 0xF1, 0x50, (byte) 0x80, 0, 0x1F, (byte) 0xFC};
      default -> throw new IllegalArgumentException(type);
    };
  }

  /** fLaC + a last-block STREAMINFO (34 bytes) with the given fields. */
  static byte[] flac(int rate, int channels, int bits, long total) {
    byte[] info = new byte[34];
    info[10] = (byte) (rate >>> 12);
    info[11] = (byte) (rate >>> 4);
    info[12] = (byte) ((rate & 0x0F) << 4 | (channels - 1) << 1 | (bits - 1) >>> 4);
    info[13] = (byte) (((bits - 1) & 0x0F) << 4 | (int) (total >>> 32) & 0x0F);
    info[14] = (byte) (total >>> 24);
    info[15] = (byte) (total >>> 16);
    info[16] = (byte) (total >>> 8);
    info[17] = (byte) total;
    return concat(ascii("fLaC"), new byte[] {(byte) 0x80, 0, 0, 34}, info);
  }

  // ----------------------------------------------------------------------------- type mapping

  @ParameterizedTest
  @CsvSource({
      "clip.wav, wav, audio/wav",
      "clip.mp3, mp3, audio/mpeg",
      "clip.ogg, ogg, audio/ogg",
      "clip.oga, oga, audio/ogg",
      "clip.opus, opus, audio/ogg",
      "clip.flac, flac, audio/flac",
      "clip.m4a, m4a, audio/mp4",
      "clip.aac, aac, audio/aac",
      "dir.v2/CLIP.WAV, wav, audio/wav"})
  void shouldStoreEveryListedTypeAsIs(String name, String type, String contentType) {
    // Given
    byte[] data = sample(type);

    // When
    EncodedMedia audio = AudioFiles.inspect(name, data);

    // Then
    assertThat(audio.data()).isSameAs(data);
    assertThat(audio.extension()).isEqualTo(type);
    assertThat(audio.contentType()).isEqualTo(contentType);
    assertThat(audio.metadata()).containsEntry("format", type).containsEntry("bytes", data.length);
  }

  @ParameterizedTest
  @ValueSource(strings = {"clip.aiff", "clip.txt", "clip", "wav", "clip.wav.gz", "dir.wav/clip"})
  void shouldRejectOtherTypes(String name) {
    // When / Then
    assertThatThrownBy(() -> AudioFiles.inspect(name, sample("wav")))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessageStartingWith("unsupported audio type '")
        .hasMessageContaining("(supported: wav, mp3, ogg, oga, opus, flac, m4a, aac)");
  }

  @Test
  void shouldRejectAnEmptyFile() {
    // When / Then
    assertThatThrownBy(() -> AudioFiles.inspect("clip.mp3", new byte[0]))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessage("audio file 'clip.mp3' is empty");
  }

  @ParameterizedTest
  @CsvSource({"clip.wav, mp3", "clip.mp3, ogg", "clip.ogg, wav", "clip.opus, flac", "clip.flac, ogg",
      "clip.m4a, wav", "clip.aac, wav"})
  void shouldRejectContentThatContradictsTheName(String name, String actualType) {
    // When / Then
    assertThatThrownBy(() -> AudioFiles.inspect(name, sample(actualType)))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessageContaining("is not a");
  }

  @Test
  void shouldAcceptMp3AndFlacBehindAnId3Tag() {
    // Given: ID3v2 header with a syncsafe size of 5, then the stream
    byte[] id3 = concat(ascii("ID3"), new byte[] {4, 0, 0, 0, 0, 0, 5}, new byte[5]);

    // When
    EncodedMedia mp3 = AudioFiles.inspect("a.mp3", concat(id3, sample("mp3")));
    EncodedMedia flac = AudioFiles.inspect("a.flac", concat(id3, sample("flac")));

    // Then
    assertThat(mp3.extension()).isEqualTo("mp3");
    assertThat(flac.metadata()).containsEntry("sample_rate", 44100);
  }

  // ----------------------------------------------------------------------------- wav header

  @Test
  void shouldReportTheWavHeaderFields() {
    // Given: 1000 stereo 16-bit frames at 22050 Hz
    byte[] wav = riff(fmt(1, 2, 22050, 4, 16), chunk("data", new byte[4000]));

    // When
    EncodedMedia audio = AudioFiles.inspect("a.wav", wav);

    // Then
    assertThat(audio.metadata()).containsExactly(entry("format", "wav"), entry("bytes", wav.length),
        entry("sample_rate", 22050), entry("channels", 2), entry("bits_per_sample", 16),
        entry("format_tag", 1), entry("samples", 1000L), entry("duration_seconds", 1000 / 22050.0));
    assertThat(audio.warnings()).isEmpty();
  }

  @Test
  void shouldSkipOtherChunksAndTheirPadBytes() {
    // Given: an odd-sized LIST chunk (padded) between fmt and data, and a float wav
    byte[] wav = riff(fmt(3, 1, 48000, 4, 32), chunk("LIST", ascii("INFOabc")),
        chunk("data", new byte[48000 * 4]));

    // When
    EncodedMedia audio = AudioFiles.inspect("a.wav", wav);

    // Then
    assertThat(audio.metadata()).containsEntry("samples", 48000L).containsEntry("duration_seconds", 1.0)
        .containsEntry("format_tag", 3).containsEntry("bits_per_sample", 32);
  }

  @Test
  void shouldUseTheRemainingBytesOfATruncatedDataChunkWithAWarning() {
    // Given: data declares 100 bytes, 40 follow
    byte[] wav = riff(fmt(1, 1, 8000, 2, 16), concat(ascii("data"), le32(100), new byte[40]));

    // When
    EncodedMedia audio = AudioFiles.inspect("a.wav", wav);

    // Then
    assertThat(audio.metadata()).containsEntry("samples", 20L);
    assertThat(audio.warnings()).containsExactly(
        "wav data chunk declares 100 bytes but only 40 follow (truncated file)");
  }

  @Test
  void shouldUseTheRemainingBytesWhenAStreamedWavHasNoDataSize() {
    // Given
    byte[] wav = riff(fmt(1, 1, 8000, 2, 16), concat(ascii("data"), le32(0xFFFFFFFFL), new byte[16]));

    // When
    EncodedMedia audio = AudioFiles.inspect("a.wav", wav);

    // Then
    assertThat(audio.metadata()).containsEntry("samples", 8L);
    assertThat(audio.warnings()).singleElement().asString().contains("no size");
  }

  @Test
  void shouldTakeTheFrameCountOfCompressedWavFromItsFactChunk() {
    // Given: IMA ADPCM (tag 0x11) with a fact chunk of 2000 frames
    byte[] wav = riff(fmt(0x11, 1, 8000, 256, 4), chunk("fact", le32(2000)), chunk("data", new byte[1024]));

    // When
    EncodedMedia audio = AudioFiles.inspect("a.wav", wav);

    // Then
    assertThat(audio.metadata()).containsEntry("samples", 2000L).containsEntry("duration_seconds", 0.25);
  }

  @Test
  void shouldWarnThatTheDurationOfCompressedWavWithoutFactChunkIsUnknown() {
    // Given
    byte[] wav = riff(fmt(0x11, 1, 8000, 256, 4), chunk("data", new byte[1024]));

    // When
    EncodedMedia audio = AudioFiles.inspect("a.wav", wav);

    // Then
    assertThat(audio.metadata()).doesNotContainKeys("samples", "duration_seconds");
    assertThat(audio.warnings()).singleElement().asString().contains("duration unknown");
  }

  @Test
  void shouldRejectAWavThatIsNotRiffWave() {
    // Given
    byte[] wav = concat(ascii("RIFF"), le32(4), ascii("AVI "));

    // When / Then
    assertThatThrownBy(() -> AudioFiles.inspect("a.wav", wav))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessage("audio file 'a.wav' is not a wav file (expected RIFF ... WAVE)");
  }

  @Test
  void shouldRejectAWavWithoutFmtChunk() {
    // Given
    byte[] wav = riff(chunk("data", new byte[4]));

    // When / Then
    assertThatThrownBy(() -> AudioFiles.inspect("a.wav", wav))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessage("wav file has no fmt chunk before its data");
  }

  @Test
  void shouldRejectAWavWithoutDataChunk() {
    // Given
    byte[] wav = riff(fmt(1, 1, 8000, 2, 16));

    // When / Then
    assertThatThrownBy(() -> AudioFiles.inspect("a.wav", wav))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessage("wav file has no data chunk");
  }

  @Test
  void shouldRejectAWavWithZeroChannels() {
    // Given
    byte[] wav = riff(fmt(1, 0, 8000, 2, 16), chunk("data", new byte[4]));

    // When / Then
    assertThatThrownBy(() -> AudioFiles.inspect("a.wav", wav))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessage("wav header declares 0 channels at 8000 Hz");
  }

  @Test
  void shouldRejectAWavWhoseFmtChunkIsTooShort() {
    // Given
    byte[] wav = riff(chunk("fmt ", new byte[8]), chunk("data", new byte[4]));

    // When / Then
    assertThatThrownBy(() -> AudioFiles.inspect("a.wav", wav))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessage("wav fmt chunk is too short (8 bytes)");
  }

  @Test
  void shouldReadBackTheWavsTheEncoderWrites() {
    // Given
    byte[] wav = AudioEncoder.fromSamples(AudioEncoderTest.float64(new long[] {3, 2}, new double[6]), 11025).data();

    // When
    EncodedMedia audio = AudioFiles.inspect("x.wav", wav);

    // Then
    assertThat(audio.metadata()).containsEntry("sample_rate", 11025).containsEntry("channels", 2)
        .containsEntry("samples", 3L);
  }

  // ----------------------------------------------------------------------------- flac

  @Test
  void shouldReportTheFlacStreamInfo() {
    // Given
    byte[] flac = flac(96000, 6, 24, 0x1_2345_6789L);

    // When
    EncodedMedia audio = AudioFiles.inspect("a.flac", flac);

    // Then
    assertThat(audio.metadata()).containsEntry("sample_rate", 96000).containsEntry("channels", 6)
        .containsEntry("bits_per_sample", 24).containsEntry("samples", 0x1_2345_6789L)
        .containsEntry("duration_seconds", 0x1_2345_6789L / 96000.0);
  }

  @Test
  void shouldLeaveOutTheDurationOfAFlacWithUnknownLength() {
    // When
    EncodedMedia audio = AudioFiles.inspect("a.flac", flac(44100, 1, 16, 0));

    // Then
    assertThat(audio.metadata()).containsEntry("channels", 1).doesNotContainKeys("samples", "duration_seconds");
  }

  @Test
  void shouldRejectAFlacWithASampleRateOfZero() {
    // When / Then
    assertThatThrownBy(() -> AudioFiles.inspect("a.flac", flac(0, 2, 16, 100)))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessage("flac file 'a.flac' declares a sample rate of 0");
  }

  @Test
  void shouldRejectAFlacWithoutStreamInfo() {
    // Given: first block is of type 4 (VORBIS_COMMENT)
    byte[] flac = concat(ascii("fLaC"), new byte[] {(byte) 0x84, 0, 0, 34}, new byte[34]);

    // When / Then
    assertThatThrownBy(() -> AudioFiles.inspect("a.flac", flac))
        .isInstanceOf(AudioRejectedException.class)
        .hasMessageContaining("STREAMINFO");
  }
}
