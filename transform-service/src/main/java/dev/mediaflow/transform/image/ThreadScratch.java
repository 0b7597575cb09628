package dev.mediaflow.transform.image;

/**
 * A byte array kept per thread and reused while it is large enough, up to a size limit:
 * allocating (and zeroing) a worst-case buffer per image costs a noticeable part of a native
 * encode or decode. Each user holds its own instance, so two users on one thread never share.
 */
final class ThreadScratch {
  private final ThreadLocal<byte[]> kept = new ThreadLocal<>();
  private final int maxKept;

  /** @param maxKept the largest buffer kept for the next call; larger ones are used once */
  ThreadScratch(int maxKept) {
    this.maxKept = maxKept;
  }

  /** A buffer of at least {@code size} bytes, with arbitrary contents. */
  byte[] get(int size) {
    byte[] buffer = kept.get();
    if (buffer != null && buffer.length >= size) {
      return buffer;
    }
    byte[] fresh = new byte[size];
    if (size <= maxKept) {
      kept.set(fresh);
    }
    return fresh;
  }
}
