package dev.mediaflow.transform.image;

/** Compresses a whole buffer into one zlib stream (RFC 1950), as a PNG's IDAT holds it. Thread-safe. */
interface ZlibCompressor {
  /** Highest level this compressor has. */
  int maxLevel();

  /**
   * @param level 0 (stored blocks) to {@link #maxLevel()}; higher is smaller and slower
   */
  byte[] compress(byte[] data, int length, int level);

  /** Short name for logs and benchmarks ({@code libdeflate}, {@code zlib}). */
  String name();
}
