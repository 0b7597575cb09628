package dev.mediaflow.transform.video;

import dev.mediaflow.transform.EncodedMedia;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks an already-encoded video file (media-semantics.md, "Video"): gif, mp4, webm or ogg,
 * stored as is.
 *
 * <ul>
 *   <li>The type comes from the name's ending, case-insensitive, as wandb.Video does
 *       ({@code os.path.splitext(path)[1][1:].lower()} must be in {@code Video.EXTS}); anything
 *       else is rejected ("unsupported video type …").</li>
 *   <li>wandb never looks inside the file; we add a cheap magic-byte check so a file whose
 *       content contradicts its name is rejected here rather than failing in a browser:
 *       gif starts with {@code GIF87a}/{@code GIF89a}; mp4 is an ISO-BMFF file whose first box
 *       (after any leading {@code free}/{@code skip}/{@code wide} boxes) is {@code ftyp};
 *       webm starts with the EBML magic {@code 1A 45 DF A3}; ogg starts with {@code OggS}.</li>
 *   <li>Metadata: {@code format}, {@code bytes}; for gif also {@code width}/{@code height} from
 *       the logical screen descriptor (the container's own size field, no decoding).</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class VideoFiles {

  /** The file types wandb.Video accepts ({@code Video.EXTS}). */
  public static final List<String> TYPES = List.of("gif", "mp4", "webm", "ogg");

  /** Top-level boxes an mp4 writer may put before {@code ftyp}; looked past, at most this many. */
  private static final int MAX_LEADING_BOXES = 4;

  private VideoFiles() {}

  /**
   * @param fileName the producer's file name; only its ending is used
   * @param data the file bytes; returned untouched (same array) in {@link EncodedMedia#data()}
   * @throws VideoRejectedException for an unsupported ending, an empty file, or content that
   *     is not of the type the name claims
   */
  public static EncodedMedia inspect(String fileName, byte[] data) {
    String name = fileName == null ? "" : fileName;
    String type = extension(name);
    if (!TYPES.contains(type)) {
      throw new VideoRejectedException("unsupported video type '" + type + "' for '" + name
          + "' (supported: gif, mp4, webm, ogg)");
    }
    if (data == null || data.length == 0) {
      throw new VideoRejectedException("video file '" + name + "' is empty");
    }
    if (!magicMatches(type, data)) {
      throw new VideoRejectedException("video file '" + name + "' is not a " + type + " file ("
          + expectedMagic(type) + ")");
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("format", type);
    metadata.put("bytes", data.length);
    if (type.equals("gif") && data.length >= 10) {
      // logical screen width/height, little-endian, right after the 6-byte signature
      metadata.put("width", (data[6] & 0xFF) | (data[7] & 0xFF) << 8);
      metadata.put("height", (data[8] & 0xFF) | (data[9] & 0xFF) << 8);
    }
    return new EncodedMedia(data, type, contentType(type), metadata, List.of());
  }

  /** MIME type for one of {@link #TYPES}. */
  static String contentType(String type) {
    return switch (type) {
      case "gif" -> "image/gif";
      case "mp4" -> "video/mp4";
      case "webm" -> "video/webm";
      case "ogg" -> "video/ogg";
      default -> throw new IllegalArgumentException("not a video type: " + type);
    };
  }

  /** Lower-case text after the last dot of the last path segment, or "" when there is none. */
  static String extension(String name) {
    int dot = name.lastIndexOf('.');
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    return dot > slash ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
  }

  private static boolean magicMatches(String type, byte[] d) {
    return switch (type) {
      case "gif" -> startsWith(d, 0, "GIF87a") || startsWith(d, 0, "GIF89a");
      case "mp4" -> hasFtypBox(d);
      case "webm" -> d.length >= 4 && (d[0] & 0xFF) == 0x1A && (d[1] & 0xFF) == 0x45
          && (d[2] & 0xFF) == 0xDF && (d[3] & 0xFF) == 0xA3;
      case "ogg" -> startsWith(d, 0, "OggS");
      default -> false;
    };
  }

  private static String expectedMagic(String type) {
    return switch (type) {
      case "gif" -> "expected GIF87a or GIF89a";
      case "mp4" -> "expected an ISO-BMFF 'ftyp' box";
      case "webm" -> "expected the EBML magic 1A 45 DF A3";
      case "ogg" -> "expected OggS";
      default -> "";
    };
  }

  /** ISO-BMFF: [size:4][type:4]…; ftyp first, possibly after a few free/skip/wide boxes. */
  static boolean hasFtypBox(byte[] d) {
    long pos = 0;
    for (int i = 0; i <= MAX_LEADING_BOXES && pos + 8 <= d.length; i++) {
      int p = (int) pos;
      if (startsWith(d, p + 4, "ftyp")) {
        return true;
      }
      if (!(startsWith(d, p + 4, "free") || startsWith(d, p + 4, "skip")
          || startsWith(d, p + 4, "wide"))) {
        return false;
      }
      long size = readUint32BigEndian(d, p);
      if (size < 8) {
        return false; // 0 (to end of file) or 1 (64-bit size) cannot precede ftyp sensibly
      }
      pos += size;
    }
    return false;
  }

  static long readUint32BigEndian(byte[] d, int p) {
    return (d[p] & 0xFFL) << 24 | (d[p + 1] & 0xFFL) << 16 | (d[p + 2] & 0xFFL) << 8 | (d[p + 3] & 0xFFL);
  }

  static boolean startsWith(byte[] d, int offset, String ascii) {
    byte[] m = ascii.getBytes(StandardCharsets.US_ASCII);
    if (offset < 0 || offset + m.length > d.length) {
      return false;
    }
    for (int i = 0; i < m.length; i++) {
      if (d[offset + i] != m[i]) {
        return false;
      }
    }
    return true;
  }
}
