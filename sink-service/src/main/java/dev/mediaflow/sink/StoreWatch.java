package dev.mediaflow.sink;

import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.runtime.HealthCheck;
import java.time.Duration;
import dev.mediaflow.sink.consumer.ItemWriter;

/**
 * Wraps the sink's writer to tell readiness whether the sink is waiting for its stores: a write
 * failed and no write has succeeded since. The sink loop retries a failed write at least every
 * 10 s, so a failure older than {@link #RETRY_WINDOW} with nothing after it was not retried (the
 * sink stopped) and no longer counts as waiting. A permanent refusal of one item (dead-lettered,
 * see {@link StoreFailure}) is not waiting.
 */
final class StoreWatch implements ItemWriter {
  static final Duration RETRY_WINDOW = Duration.ofSeconds(15);

  private final ItemWriter writer;
  private volatile long lastSuccessNanos = System.nanoTime();
  private volatile long lastFailureNanos = lastSuccessNanos;
  private volatile long failingSinceNanos;
  private volatile String lastError = "";

  StoreWatch(ItemWriter writer) {
    this.writer = writer;
  }

  @Override
  public void write(ProcessedMedia event) {
    try {
      writer.write(event);
      lastSuccessNanos = System.nanoTime();
    } catch (RuntimeException e) {
      if (StoreFailure.classify(e).permanent()) {
        throw e; // the item is dead-lettered, the store is fine: not waiting
      }
      long now = System.nanoTime();
      if (lastFailureNanos <= lastSuccessNanos) {
        failingSinceNanos = now;
      }
      lastFailureNanos = now;
      lastError = e.toString();
      throw e;
    }
  }

  /** {@code store} DOWN while writes are being retried (S3 or SQL unavailable), with how long and why. */
  HealthCheck check() {
    long now = System.nanoTime();
    boolean waiting = lastFailureNanos > lastSuccessNanos && now - lastFailureNanos < RETRY_WINDOW.toNanos();
    if (!waiting) {
      return HealthCheck.up("store", "writes succeed");
    }
    return HealthCheck.down("store", "waiting for the object or metadata store for "
        + (now - failingSinceNanos) / 1_000_000 + " ms: " + lastError);
  }
}
