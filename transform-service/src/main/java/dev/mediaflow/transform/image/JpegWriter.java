package dev.mediaflow.transform.image;

/**
 * Writes 8-bit gray or RGB pixels as the baseline JPEG that Pillow writes with its defaults
 * for the same quality: 4:2:0 chroma subsampling (gray: one component), standard Huffman
 * tables (no {@code optimize}), not progressive, the accurate integer DCT, a JFIF 1.01
 * header without density. Implementations are thread-safe.
 */
interface JpegWriter {

  /**
   * @param pixels rows top to bottom, each {@code width × channels} bytes (gray, or R G B)
   * @param channels 1 or 3
   * @param quality 1–100, as Pillow's {@code quality}
   */
  byte[] write(byte[] pixels, int width, int height, int channels, int quality);

  /** Short name for logs and benchmarks ({@code turbojpeg}, {@code imageio}). */
  String name();
}
