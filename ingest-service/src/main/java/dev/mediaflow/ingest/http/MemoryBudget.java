package dev.mediaflow.ingest.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of heap that calls in flight may hold together. A call reserves before it reads its body
 * (by Content-Length) or while it reads it (chunked bodies, as the bytes arrive); a call that would
 * go above the budget is refused with 429 instead of risking an OutOfMemoryError for every call.
 */
final class MemoryBudget {
  private final long capacity;
  private final AtomicLong used = new AtomicLong();

  MemoryBudget(long capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("memory budget must be positive: " + capacity);
    }
    this.capacity = capacity;
  }

  /** The default budget: a quarter of the JVM's maximum heap. */
  static long defaultCapacity() {
    return Runtime.getRuntime().maxMemory() / 4;
  }

  long capacity() {
    return capacity;
  }

  long used() {
    return used.get();
  }

  /** An empty reservation that {@link Reservation#grow} fills. */
  Reservation open() {
    return new Reservation();
  }

  private boolean take(long bytes) {
    long now;
    do {
      now = used.get();
      if (now + bytes > capacity) {
        return false;
      }
    } while (!used.compareAndSet(now, now + bytes));
    return true;
  }

  /** What one call holds of the budget; {@link #close()} gives it all back. */
  final class Reservation implements AutoCloseable {
    private final AtomicLong held = new AtomicLong();

    /** Takes {@code bytes} more; false (and nothing taken) when the budget cannot hold them. */
    boolean grow(long bytes) {
      if (!take(bytes)) {
        return false;
      }
      held.addAndGet(bytes);
      return true;
    }

    long held() {
      return held.get();
    }

    @Override
    public void close() {
      used.addAndGet(-held.getAndSet(0));
    }
  }
}
