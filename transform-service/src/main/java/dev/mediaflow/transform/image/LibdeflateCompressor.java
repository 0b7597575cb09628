package dev.mediaflow.transform.image;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Path;

/**
 * libdeflate (Debian's {@code libdeflate0}) through JNA's direct mapping: a whole-buffer
 * DEFLATE compressor about 2–3× faster than zlib at the same level, with output of about the
 * same size (BENCHMARKS.md, "PNG compression levels"). Levels 0–12; 10–12 are slower and
 * smaller than anything zlib has.
 *
 * <p>One compressor per call: libdeflate's compressors are not thread-safe, and allocating
 * one costs microseconds against milliseconds of compression.
 */
final class LibdeflateCompressor implements ZlibCompressor {
  private static boolean registered;

  private LibdeflateCompressor() {}

  /**
   * Loads {@code library} and binds the native functions to it; a class binds once per JVM, so
   * after the first successful load the functions stay bound to that first library.
   *
   * @throws LinkageError (e.g. {@link UnsatisfiedLinkError}) when the library cannot be loaded
   */
  static synchronized LibdeflateCompressor load(Path library) {
    NativeLibrary loaded = NativeLibrary.getInstance(library.toString());
    if (!registered) {
      Native.register(LibdeflateCompressor.class, loaded);
      registered = true;
    }
    return new LibdeflateCompressor();
  }

  @Override
  public int maxLevel() {
    return 12;
  }

  @Override
  public byte[] compress(byte[] data, int length, int level) {
    Pointer compressor = libdeflate_alloc_compressor(Math.min(level, maxLevel()));
    if (compressor == null) {
      throw new OutOfMemoryError("libdeflate_alloc_compressor(" + level + ") failed");
    }
    try {
      long bound = libdeflate_zlib_compress_bound(compressor, length);
      try (Memory in = new Memory(Math.max(1, length)); Memory out = new Memory(bound)) {
        in.write(0, data, 0, length);
        long written = libdeflate_zlib_compress(compressor, in, length, out, bound);
        if (written == 0) {
          throw new IllegalStateException("libdeflate: output did not fit its own bound of " + bound + " bytes");
        }
        return out.getByteArray(0, (int) written);
      }
    } finally {
      libdeflate_free_compressor(compressor);
    }
  }

  @Override
  public String name() {
    return "libdeflate";
  }

  // libdeflate.h; size_t is 64-bit on the 64-bit platforms this runs on
  private static native Pointer libdeflate_alloc_compressor(int level);

  private static native long libdeflate_zlib_compress(Pointer compressor, Pointer in, long inBytes, Pointer out,
      long outAvailable);

  private static native long libdeflate_zlib_compress_bound(Pointer compressor, long inBytes);

  private static native void libdeflate_free_compressor(Pointer compressor);
}
