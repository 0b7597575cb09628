package dev.mediaflow.transform.image;

import java.io.ByteArrayOutputStream;
import java.util.zip.Deflater;

/**
 * The JDK's zlib with Pillow's PNG settings: strategy {@code Z_FILTERED} (Pillow sets memLevel
 * 9, which the JDK does not expose: its files are about 0.1 % larger at the same level).
 */
final class JdkZlibCompressor implements ZlibCompressor {

  @Override
  public int maxLevel() {
    return Deflater.BEST_COMPRESSION;
  }

  @Override
  public byte[] compress(byte[] data, int length, int level) {
    Deflater deflater = new Deflater(Math.min(level, maxLevel()));
    try {
      deflater.setStrategy(Deflater.FILTERED); // Pillow's (and libpng's) strategy for filtered rows
      deflater.setInput(data, 0, length);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length / 4));
      byte[] buffer = new byte[64 * 1024];
      while (!deflater.finished()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  @Override
  public String name() {
    return "zlib";
  }
}
