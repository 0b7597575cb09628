package dev.mediaflow.transform.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The fields of a RIFF/WAVE file that we report, and the 44-byte header libsndfile writes for
 * PCM_16 (RIFF, a 16-byte {@code fmt } chunk with format tag 1, then {@code data}; no other
 * chunks, any channel count; byte-identical to soundfile's output).
 *
 * @param formatTag wFormatTag: 1 PCM, 3 IEEE float, 6 A-law, 7 mu-law, 0xFFFE extensible, …
 * @param channels channel count
 * @param sampleRate samples per second per channel
 * @param blockAlign bytes per frame (all channels)
 * @param bitsPerSample bits per sample (as declared)
 * @param frames frames in the data chunk (-1 when unknown: compressed data without a
 *     {@code fact} chunk)
 */
record WavHeader(int formatTag, int channels, int sampleRate, int blockAlign, int bitsPerSample,
    long frames) {

  /** Size of the header {@link #pcm16} writes. */
  static final int PCM16_HEADER_BYTES = 44;

  /** Format tags whose frame count is simply data bytes / block align. */
  private static final List<Integer> LINEAR_TAGS = List.of(1, 3, 6, 7, 0xFFFE);

  /** Seconds of audio, or -1 when the frame count is unknown. */
  double durationSeconds() {
    return frames < 0 ? -1 : frames / (double) sampleRate;
  }

  /**
   * Writes libsndfile's PCM_16 WAV header into {@code out} at 0.
   *
   * @param dataBytes bytes of sample data that follow
   */
  static void pcm16(ByteBuffer out, int channels, int sampleRate, long dataBytes) {
    int blockAlign = channels * 2;
    out.order(ByteOrder.LITTLE_ENDIAN);
    out.put(0, ascii("RIFF"));
    out.putInt(4, (int) (36 + dataBytes));
    out.put(8, ascii("WAVE"));
    out.put(12, ascii("fmt "));
    out.putInt(16, 16);
    out.putShort(20, (short) 1);
    out.putShort(22, (short) channels);
    out.putInt(24, sampleRate);
    out.putInt(28, (int) ((long) sampleRate * blockAlign));
    out.putShort(32, (short) blockAlign);
    out.putShort(34, (short) 16);
    out.put(36, ascii("data"));
    out.putInt(40, (int) dataBytes);
  }

  /**
   * Reads the {@code fmt } chunk and the size of the {@code data} chunk, walking the chunk list
   * (chunks are padded to even sizes).
   *
   * @param warnings receives a warning when the data chunk is cut short or has no size
   * @throws AudioRejectedException when the file is not RIFF/WAVE or lacks a usable fmt or data
   *     chunk
   */
  static WavHeader parse(byte[] file, List<String> warnings) {
    if (file.length < 12 || !is(file, 0, "RIFF") || !is(file, 8, "WAVE")) {
      throw new AudioRejectedException("wav file is not RIFF/WAVE (expected 'RIFF' ... 'WAVE')");
    }
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    int formatTag = -1;
    int channels = 0;
    long sampleRate = 0;
    int blockAlign = 0;
    int bits = 0;
    long factFrames = -1;
    long dataBytes = -1;
    long pos = 12;
    while (pos + 8 <= file.length) {
      int p = (int) pos;
      long size = b.getInt(p + 4) & 0xFFFFFFFFL;
      long available = file.length - (pos + 8);
      if (is(file, p, "fmt ")) {
        if (size < 16 || available < 16) {
          throw new AudioRejectedException("wav fmt chunk is too short (" + size + " bytes)");
        }
        formatTag = b.getShort(p + 8) & 0xFFFF;
        channels = b.getShort(p + 10) & 0xFFFF;
        sampleRate = b.getInt(p + 12) & 0xFFFFFFFFL;
        blockAlign = b.getShort(p + 20) & 0xFFFF;
        bits = b.getShort(p + 22) & 0xFFFF;
      } else if (is(file, p, "fact") && size >= 4 && available >= 4) {
        factFrames = b.getInt(p + 8) & 0xFFFFFFFFL;
      } else if (is(file, p, "data")) {
        if (size == 0xFFFFFFFFL || (size == 0 && available > 0)) {
          warnings.add("wav data chunk has no size (streamed file); using the " + available
              + " bytes that follow");
          dataBytes = available;
        } else if (size > available) {
          warnings.add("wav data chunk declares " + size + " bytes but only " + available
              + " follow (truncated file)");
          dataBytes = available;
        } else {
          dataBytes = size;
        }
        break; // the data chunk is what we need; anything after it is trailing metadata
      }
      pos += 8 + size + (size & 1);
    }
    if (formatTag < 0) {
      throw new AudioRejectedException("wav file has no fmt chunk before its data");
    }
    if (dataBytes < 0) {
      throw new AudioRejectedException("wav file has no data chunk");
    }
    if (channels == 0 || sampleRate == 0 || sampleRate > Integer.MAX_VALUE) {
      throw new AudioRejectedException("wav header declares " + channels + " channels at "
          + sampleRate + " Hz");
    }
    long frames;
    if (LINEAR_TAGS.contains(formatTag) && blockAlign > 0) {
      frames = dataBytes / blockAlign;
    } else {
      frames = factFrames; // compressed (ADPCM, GSM, …): only a fact chunk knows
    }
    return new WavHeader(formatTag, channels, (int) sampleRate, blockAlign, bits, frames);
  }

  private static boolean is(byte[] d, int offset, String fourcc) {
    return offset + 4 <= d.length && d[offset] == fourcc.charAt(0) && d[offset + 1] == fourcc.charAt(1)
        && d[offset + 2] == fourcc.charAt(2) && d[offset + 3] == fourcc.charAt(3);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
