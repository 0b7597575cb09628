package dev.mediaflow.transform.audio;

import dev.mediaflow.transform.EncodedMedia;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks an already-encoded audio file (media-semantics.md, "Audio"), stored as is.
 *
 * <p>wandb.Audio takes any file path without looking at it; the W&amp;B page then plays it in
 * an HTML {@code <audio>} element. We accept the formats browsers play there:
 * <table>
 *   <caption>accepted endings</caption>
 *   <tr><th>ending</th><th>content type</th><th>content check</th><th>metadata</th></tr>
 *   <tr><td>wav</td><td>audio/wav</td><td>{@code RIFF}…{@code WAVE}</td>
 *       <td>sample_rate, channels, samples, duration_seconds, bits_per_sample, format_tag</td></tr>
 *   <tr><td>flac</td><td>audio/flac</td><td>{@code fLaC} (after an optional ID3v2 tag)</td>
 *       <td>sample_rate, channels, bits_per_sample; samples and duration_seconds when the
 *       STREAMINFO total is known</td></tr>
 *   <tr><td>mp3</td><td>audio/mpeg</td><td>ID3v2 tag or an MPEG frame sync</td><td>—</td></tr>
 *   <tr><td>ogg, oga, opus</td><td>audio/ogg</td><td>{@code OggS}</td><td>—</td></tr>
 *   <tr><td>m4a</td><td>audio/mp4</td><td>an ISO-BMFF {@code ftyp} box</td><td>—</td></tr>
 *   <tr><td>aac</td><td>audio/aac</td><td>ID3v2 tag or an ADTS sync word</td><td>—</td></tr>
 * </table>
 * The type comes from the name's ending (case-insensitive); anything else is rejected, and so
 * is content that contradicts the name. Every file also gets {@code format} and {@code bytes}.
 *
 * <p>Stateless and thread-safe.
 */
public final class AudioFiles {

  /** Accepted file endings. */
  public static final List<String> TYPES = List.of("wav", "mp3", "ogg", "oga", "opus", "flac", "m4a", "aac");

  private AudioFiles() {}

  /**
   * @param fileName the producer's file name; only its ending is used
   * @param data the file bytes; returned untouched (same array) in {@link EncodedMedia#data()}
   * @throws AudioRejectedException for an unsupported ending, an empty file, content that is
   *     not of the claimed type, or a wav/flac header that cannot be read
   */
  public static EncodedMedia inspect(String fileName, byte[] data) {
    String name = fileName == null ? "" : fileName;
    String type = extension(name);
    if (!TYPES.contains(type)) {
      throw new AudioRejectedException("unsupported audio type '" + type + "' for '" + name
          + "' (supported: " + String.join(", ", TYPES) + ")");
    }
    if (data == null || data.length == 0) {
      throw new AudioRejectedException("audio file '" + name + "' is empty");
    }
    List<String> warnings = new ArrayList<>();
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("format", type);
    metadata.put("bytes", data.length);
    switch (type) {
      case "wav" -> {
        require(is(data, 0, "RIFF") && is(data, 8, "WAVE"), name, "RIFF ... WAVE");
        wav(data, metadata, warnings);
      }
      case "flac" -> flac(name, data, metadata);
      case "mp3" -> require(id3Length(data) > 0 || mpegSync(data, 0), name, "an ID3 tag or MPEG audio frame");
      case "ogg", "oga", "opus" -> require(is(data, 0, "OggS"), name, "OggS");
      case "m4a" -> require(is(data, 4, "ftyp"), name, "an ISO-BMFF 'ftyp' box");
      case "aac" -> require(id3Length(data) > 0 || adtsSync(data, 0), name, "an ID3 tag or ADTS header");
      default -> throw new IllegalStateException(type);
    }
    return new EncodedMedia(data, type, contentType(type), metadata, warnings);
  }

  /** MIME type for one of {@link #TYPES}. */
  static String contentType(String type) {
    return switch (type) {
      case "wav" -> "audio/wav";
      case "mp3" -> "audio/mpeg";
      case "ogg", "oga", "opus" -> "audio/ogg";
      case "flac" -> "audio/flac";
      case "m4a" -> "audio/mp4";
      case "aac" -> "audio/aac";
      default -> throw new IllegalArgumentException("not an audio type: " + type);
    };
  }

  private static void wav(byte[] data, Map<String, Object> metadata, List<String> warnings) {
    WavHeader h = WavHeader.parse(data, warnings);
    metadata.put("sample_rate", h.sampleRate());
    metadata.put("channels", h.channels());
    metadata.put("bits_per_sample", h.bitsPerSample());
    metadata.put("format_tag", h.formatTag());
    if (h.frames() >= 0) {
      metadata.put("samples", h.frames());
      metadata.put("duration_seconds", h.durationSeconds());
    } else {
      warnings.add("compressed wav (format tag " + h.formatTag() + ") without a fact chunk: "
          + "duration unknown");
    }
  }

  /** FLAC: "fLaC", then the mandatory STREAMINFO block (type 0, 34 bytes) first. */
  private static void flac(String name, byte[] d, Map<String, Object> metadata) {
    int p = id3Length(d);
    require(is(d, p, "fLaC"), name, "fLaC");
    int block = p + 4;
    if (block + 4 + 34 > d.length || (d[block] & 0x7F) != 0) {
      throw new AudioRejectedException("flac file '" + name + "' does not start with a STREAMINFO block");
    }
    int s = block + 4 + 10; // skip block/frame size fields
    int sampleRate = (d[s] & 0xFF) << 12 | (d[s + 1] & 0xFF) << 4 | (d[s + 2] & 0xFF) >>> 4;
    int channels = ((d[s + 2] & 0x0E) >>> 1) + 1;
    int bits = ((d[s + 2] & 0x01) << 4 | (d[s + 3] & 0xFF) >>> 4) + 1;
    long total = (d[s + 3] & 0x0FL) << 32 | (d[s + 4] & 0xFFL) << 24 | (d[s + 5] & 0xFFL) << 16
        | (d[s + 6] & 0xFFL) << 8 | (d[s + 7] & 0xFFL);
    if (sampleRate == 0) {
      throw new AudioRejectedException("flac file '" + name + "' declares a sample rate of 0");
    }
    metadata.put("sample_rate", sampleRate);
    metadata.put("channels", channels);
    metadata.put("bits_per_sample", bits);
    if (total > 0) { // 0 means "unknown" in STREAMINFO
      metadata.put("samples", total);
      metadata.put("duration_seconds", total / (double) sampleRate);
    }
  }

  /** Length of a leading ID3v2 tag (header + syncsafe size + optional footer), or 0. */
  static int id3Length(byte[] d) {
    if (!is(d, 0, "ID3") || d.length < 10) {
      return 0;
    }
    int size = (d[6] & 0x7F) << 21 | (d[7] & 0x7F) << 14 | (d[8] & 0x7F) << 7 | (d[9] & 0x7F);
    int footer = (d[5] & 0x10) != 0 ? 10 : 0;
    return 10 + size + footer;
  }

  /** MPEG audio frame sync: 11 set bits, and a layer that is not "reserved". */
  private static boolean mpegSync(byte[] d, int p) {
    return p + 1 < d.length && (d[p] & 0xFF) == 0xFF && (d[p + 1] & 0xE0) == 0xE0 && (d[p + 1] & 0x06) != 0;
  }

  /** ADTS: 12 set bits, layer 00. */
  private static boolean adtsSync(byte[] d, int p) {
    return p + 1 < d.length && (d[p] & 0xFF) == 0xFF && (d[p + 1] & 0xF6) == 0xF0;
  }

  private static void require(boolean ok, String name, String expected) {
    if (!ok) {
      throw new AudioRejectedException("audio file '" + name + "' is not a " + extension(name)
          + " file (expected " + expected + ")");
    }
  }

  static String extension(String name) {
    int dot = name.lastIndexOf('.');
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    return dot > slash ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
  }

  private static boolean is(byte[] d, int offset, String ascii) {
    if (offset < 0 || offset + ascii.length() > d.length) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (d[offset + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
