package dev.mediaflow.transform.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * An 8-bit PNG writer with per-row adaptive filtering, as libpng and Pillow do by default.
 * ImageIO's PNG writer filters no row, which leaves smooth images 6–11× larger than
 * Pillow's (BENCHMARKS.md); here each row gets the filter (None, Sub, Up, Average, Paeth)
 * whose output has the smallest sum of absolute values (libpng's heuristic), then DEFLATE
 * through {@link ZlibCompressors#active()} (libdeflate when installed, else zlib) at the
 * configured level (default 6, Pillow's).
 *
 * <p>Noise does not compress, and a compressor at level 6 still spends its full effort on it
 * (zlib's output is even a little larger than the input). So before compressing, 32 windows
 * spread evenly over the filtered rows (a quarter of them at most) are compressed at level 1;
 * when that saves less than 1 %, the rows are stored uncompressed (level 0): same pixels,
 * smaller than Pillow's file, many times faster. A compressible region that falls between the
 * windows can be stored too; it is at most 1/32 of the image.
 */
final class PngEncoder {
  /** Pillow's default {@code compress_level}. */
  static final int DEFAULT_LEVEL = 6;
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final int SAMPLE_WINDOWS = 32;
  private static final int MAX_WINDOW = 4096;
  private static final int MIN_WINDOW = 256;
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
    byte[] filtered = filtered(pixels, width, height, channels);
    byte[] compressed = compressor.compress(filtered, filtered.length, levelFor(filtered, level, compressor));
    chunk(out, "IDAT", compressed, compressed.length);
    chunk(out, "IEND", new byte[0], 0);
    return out.toByteArray();
  }

  /** Every row preceded by its filter type byte, filtered with the best of the five filters. */
  static byte[] filtered(byte[] pixels, int width, int height, int bpp) {
    int stride = width * bpp;
    byte[] out = new byte[height * (stride + 1)];
    byte[][] candidates = new byte[5][stride];
    byte[] zero = new byte[stride];
    for (int y = 0; y < height; y++) {
      int row = y * stride;
      int prior = y == 0 ? -1 : row - stride;
      int best = 0;
      long bestSum = Long.MAX_VALUE;
      for (int type = 0; type < 5; type++) {
        long sum = filterRow(type, pixels, row, prior, zero, stride, bpp, candidates[type]);
        if (sum < bestSum) {
          bestSum = sum;
          best = type;
        }
      }
      int o = y * (stride + 1);
      out[o] = (byte) best;
      System.arraycopy(candidates[best], 0, out, o + 1, stride);
    }
    return out;
  }

  /** Filters one row into {@code dst}; returns the sum of the filtered bytes taken as signed. */
  private static long filterRow(int type, byte[] px, int row, int prior, byte[] zero, int stride, int bpp,
      byte[] dst) {
    byte[] up = prior < 0 ? zero : px;
    int u = prior < 0 ? 0 : prior;
    // one tight loop per filter: a switch per byte costs more than the filtering itself
    return switch (type) {
      case 0 -> none(px, row, stride, dst);
      case 1 -> sub(px, row, stride, bpp, dst);
      case 2 -> up(px, row, up, u, stride, dst);
      case 3 -> average(px, row, up, u, stride, bpp, dst);
      default -> paeth(px, row, up, u, stride, bpp, dst);
    };
  }

  private static long none(byte[] px, int row, int stride, byte[] dst) {
    long sum = 0;
    for (int i = 0; i < stride; i++) {
      byte f = px[row + i];
      dst[i] = f;
      sum += Math.abs(f);
    }
    return sum;
  }

  private static long sub(byte[] px, int row, int stride, int bpp, byte[] dst) {
    long sum = 0;
    for (int i = 0; i < stride; i++) {
      byte f = (byte) (px[row + i] - (i >= bpp ? px[row + i - bpp] : 0));
      dst[i] = f;
      sum += Math.abs(f);
    }
    return sum;
  }

  private static long up(byte[] px, int row, byte[] up, int u, int stride, byte[] dst) {
    long sum = 0;
    for (int i = 0; i < stride; i++) {
      byte f = (byte) (px[row + i] - up[u + i]);
      dst[i] = f;
      sum += Math.abs(f);
    }
    return sum;
  }

  private static long average(byte[] px, int row, byte[] up, int u, int stride, int bpp, byte[] dst) {
    long sum = 0;
    for (int i = 0; i < stride; i++) {
      int a = i >= bpp ? px[row + i - bpp] & 0xff : 0;
      byte f = (byte) (px[row + i] - ((a + (up[u + i] & 0xff)) >>> 1));
      dst[i] = f;
      sum += Math.abs(f);
    }
    return sum;
  }

  private static long paeth(byte[] px, int row, byte[] up, int u, int stride, int bpp, byte[] dst) {
    long sum = 0;
    for (int i = 0; i < stride; i++) {
      int a = i >= bpp ? px[row + i - bpp] & 0xff : 0;
      int c = i >= bpp ? up[u + i - bpp] & 0xff : 0;
      byte f = (byte) (px[row + i] - paeth(a, up[u + i] & 0xff, c));
      dst[i] = f;
      sum += Math.abs(f);
    }
    return sum;
  }

  private static int paeth(int a, int b, int c) {
    int p = a + b - c;
    int pa = Math.abs(p - a);
    int pb = Math.abs(p - b);
    int pc = Math.abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
  }

  /** {@code level}, or 0 when sampled windows of the filtered rows do not compress (see the class comment). */
  static int levelFor(byte[] filtered, int level, ZlibCompressor compressor) {
    int window = Math.min(MAX_WINDOW, filtered.length / (4 * SAMPLE_WINDOWS));
    if (level == 0 || window < MIN_WINDOW) {
      return level;
    }
    byte[] sample = new byte[SAMPLE_WINDOWS * window];
    long step = (filtered.length - window) / (SAMPLE_WINDOWS - 1);
    for (int i = 0; i < SAMPLE_WINDOWS; i++) {
      System.arraycopy(filtered, (int) (i * step), sample, i * window, window);
    }
    int compressed = compressor.compress(sample, sample.length, 1).length;
    return compressed >= INCOMPRESSIBLE * sample.length ? 0 : level;
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
