package dev.mediaflow.transform.video;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.util.Arrays;

/**
 * Turns an RGB frame with at most 256 distinct colours into an indexed image with exactly
 * those colours (lossless GIF). Colours get palette indices in order of first appearance, so
 * the result depends only on the pixels.
 */
final class ExactPalette {

  static final int MAX_COLOURS = 256;

  /** Open-addressing table; 1024 slots keep probes short for up to 257 keys. */
  private static final int SLOTS = 1024;

  private ExactPalette() {}

  /**
   * @param rgb pixels as {@code 0xRRGGBB}, row-major
   * @return the indexed image, or null when the frame has more than 256 colours
   */
  static BufferedImage toIndexed(int[] rgb, int width, int height) {
    int[] keys = new int[SLOTS];
    short[] index = new short[SLOTS];
    Arrays.fill(keys, -1); // colours are 24-bit, so -1 marks an empty slot
    int[] palette = new int[MAX_COLOURS];
    int count = 0;
    byte[] pixels = new byte[rgb.length];
    for (int i = 0; i < rgb.length; i++) {
      int c = rgb[i];
      int slot = mix(c) & (SLOTS - 1);
      while (keys[slot] != -1 && keys[slot] != c) {
        slot = (slot + 1) & (SLOTS - 1);
      }
      if (keys[slot] == -1) {
        if (count == MAX_COLOURS) {
          return null;
        }
        keys[slot] = c;
        index[slot] = (short) count;
        palette[count++] = c;
      }
      pixels[i] = (byte) index[slot];
    }
    int size = Math.max(count, 2); // a GIF colour table has at least 2 entries
    byte[] r = new byte[size];
    byte[] g = new byte[size];
    byte[] b = new byte[size];
    for (int i = 0; i < count; i++) {
      r[i] = (byte) (palette[i] >>> 16);
      g[i] = (byte) (palette[i] >>> 8);
      b[i] = (byte) palette[i];
    }
    IndexColorModel model = new IndexColorModel(8, size, r, g, b);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, model);
    byte[] dst = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    System.arraycopy(pixels, 0, dst, 0, pixels.length);
    return image;
  }

  private static int mix(int c) {
    int h = c * 0x9E3779B1;
    return h ^ (h >>> 16);
  }
}
