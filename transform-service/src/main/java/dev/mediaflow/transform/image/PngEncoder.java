package dev.mediaflow.transform.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * An 8-bit PNG writer with per-row adaptive filtering, as libpng and Pillow do by default.
 * ImageIO's PNG writer filters no row, which leaves smooth images 6–11× larger than
 * Pillow's (BENCHMARKS.md); here each row gets the filter (None, Sub, Up, Average, Paeth)
 * whose output has the smallest sum of absolute values (libpng's heuristic; {@link PngFilters},
 * with the Vector API when present), then DEFLATE
 * through {@link ZlibCompressors#active()} (libdeflate when installed, else zlib) at the
 * configured level (default 6, Pillow's).
 *
 * <p>Noise does not compress, and a compressor at level 6 still spends its full effort on it
 * (zlib's output is even a little larger than the input). So first 32 rows spread evenly over
 * the image are filtered and compressed at level 1; when that saves less than 1 %, every row is
 * stored unfiltered and uncompressed (level 0; a stored row's size does not depend on its
 * filter): same pixels, smaller than Pillow's file, many times faster. Rows between the
 * sampled ones that would have compressed are stored too; a run of them is at most 1/31 of the
 * image. Images under 64 rows or with a sample under 8 KiB are not sampled.
 */
final class PngEncoder {
  /** Pillow's default {@code compress_level}. */
  static final int DEFAULT_LEVEL = 6;
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final int SAMPLE_ROWS = 32;
  private static final int MIN_SAMPLE_BYTES = 8 * 1024;
  private static final double INCOMPRESSIBLE = 0.99;

  private PngEncoder() {}

  /** {@link #encode(byte[], int, int, int, int, ZlibCompressor)} at level 6 with the active compressor. */
  static byte[] encode(byte[] pixels, int width, int height, int channels) {
    return encode(pixels, width, height, channels, DEFAULT_LEVEL, ZlibCompressors.active());
  }

  /**
   * @param pixels rows top to bottom, each {@code width × channels} bytes (gray; R G B; or R G B A)
   * @param channels 1, 3 or 4
   * @param level 0 (stored) to the compressor's maximum (zlib 9, libdeflate 12); higher ones are clamped
   */
  static byte[] encode(byte[] pixels, int width, int height, int channels, int level, ZlibCompressor compressor) {
    return encode(pixels, width, height, channels, level, compressor, PngFilters.active());
  }

  /** {@link #encode(byte[], int, int, int, int, ZlibCompressor)} with the given filter implementation. */
  static byte[] encode(byte[] pixels, int width, int height, int channels, int level, ZlibCompressor compressor,
      PngFilters filters) {
    int colorType = switch (channels) {
      case 1 -> 0;
      case 3 -> 2;
      case 4 -> 6;
      default -> throw new IllegalArgumentException("channels " + channels);
    };
    ByteArrayOutputStream out = new ByteArrayOutputStream(pixels.length / 2 + 1024);
    out.writeBytes(SIGNATURE);
    ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height)
        .put((byte) 8).put((byte) colorType).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", header.array(), 13);
    boolean store = level > 0 && incompressible(pixels, width, height, channels, compressor, filters);
    byte[] rows = store ? unfiltered(pixels, width * channels, height)
        : filtered(pixels, width, height, channels, filters);
    byte[] compressed = compressor.compress(rows, rows.length, store ? 0 : level);
    chunk(out, "IDAT", compressed, compressed.length);
    chunk(out, "IEND", new byte[0], 0);
    return out.toByteArray();
  }

  /** Every row preceded by its filter type byte, filtered with the best of the five filters. */
  static byte[] filtered(byte[] pixels, int width, int height, int bpp) {
    return filtered(pixels, width, height, bpp, PngFilters.active());
  }

  /** {@link #filtered(byte[], int, int, int)} with the given filter implementation. */
  static byte[] filtered(byte[] pixels, int width, int height, int bpp, PngFilters filters) {
    int stride = width * bpp;
    byte[] out = new byte[height * (stride + 1)];
    byte[] zero = new byte[stride];
    long[] sums = new long[PngFilters.TYPES];
    for (int y = 0; y < height; y++) {
      filterBest(filters, pixels, y, stride, bpp, zero, sums, out, y * (stride + 1));
    }
    return out;
  }

  /** Every row preceded by filter type 0 (None). */
  static byte[] unfiltered(byte[] pixels, int stride, int height) {
    byte[] out = new byte[height * (stride + 1)];
    for (int y = 0; y < height; y++) {
      System.arraycopy(pixels, y * stride, out, y * (stride + 1) + 1, stride);
    }
    return out;
  }

  /** Row {@code y} as its best filter's type byte and output, at {@code out[o]}; the first row's "up" is zeros. */
  private static void filterBest(PngFilters filters, byte[] pixels, int y, int stride, int bpp, byte[] zero,
      long[] sums, byte[] out, int o) {
    int row = y * stride;
    filters.filterBest(pixels, row, y == 0 ? zero : pixels, y == 0 ? 0 : row - stride, stride, bpp, sums, out, o);
  }

  /** True when 32 evenly spaced rows, filtered, save less than 1 % at level 1 (see the class comment). */
  static boolean incompressible(byte[] pixels, int width, int height, int bpp, ZlibCompressor compressor) {
    return incompressible(pixels, width, height, bpp, compressor, PngFilters.active());
  }

  private static boolean incompressible(byte[] pixels, int width, int height, int bpp, ZlibCompressor compressor,
      PngFilters filters) {
    int stride = width * bpp;
    if (height < 2 * SAMPLE_ROWS || (long) SAMPLE_ROWS * (stride + 1) < MIN_SAMPLE_BYTES) {
      return false;
    }
    byte[] sample = new byte[SAMPLE_ROWS * (stride + 1)];
    byte[] zero = new byte[stride];
    long[] sums = new long[PngFilters.TYPES];
    for (int i = 0; i < SAMPLE_ROWS; i++) {
      int y = (int) ((long) i * (height - 1) / (SAMPLE_ROWS - 1));
      filterBest(filters, pixels, y, stride, bpp, zero, sums, sample, i * (stride + 1));
    }
    return compressor.compress(sample, sample.length, 1).length >= INCOMPRESSIBLE * sample.length;
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data, int length) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(length).array());
    out.writeBytes(typeBytes);
    out.write(data, 0, length);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data, 0, length);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
