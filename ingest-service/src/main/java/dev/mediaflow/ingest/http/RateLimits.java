package dev.mediaflow.ingest.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Optional per-project limits on calls per second and body bytes per second (token buckets
 * holding one second of each). A limit of 0 is off. A call that finds a bucket empty is refused
 * with 429 and the seconds until it would pass; a call larger than one second of bytes passes
 * when the bucket is full and leaves it in debt, so large calls are slowed, never refused forever.
 */
final class RateLimits {
  private final double callsPerSecond;
  private final double bytesPerSecond;
  private final LongSupplier nanoClock;
  private final Map<String, Bucket> calls = new ConcurrentHashMap<>();
  private final Map<String, Bucket> bytes = new ConcurrentHashMap<>();

  RateLimits(double callsPerSecond, double bytesPerSecond, LongSupplier nanoClock) {
    this.callsPerSecond = callsPerSecond;
    this.bytesPerSecond = bytesPerSecond;
    this.nanoClock = nanoClock;
  }

  boolean isOff() {
    return callsPerSecond <= 0 && bytesPerSecond <= 0;
  }

  /**
   * Takes one call and {@code bodyBytes} (0 when unknown) from the project's buckets.
   *
   * @throws Refusal a 429 naming the limit when either bucket is empty
   */
  void admit(String project, long bodyBytes) {
    long now = nanoClock.getAsLong();
    if (callsPerSecond > 0) {
      take(calls.computeIfAbsent(project, p -> new Bucket(callsPerSecond, now)), 1, now,
          "calls_rate_limited", "project \"" + project + "\" is above its limit of " + callsPerSecond + " calls/s");
    }
    if (bytesPerSecond > 0) {
      take(bytes.computeIfAbsent(project, p -> new Bucket(bytesPerSecond, now)), bodyBytes, now,
          "bytes_rate_limited", "project \"" + project + "\" is above its limit of " + (long) bytesPerSecond + " bytes/s");
    }
  }

  private static void take(Bucket bucket, double amount, long now, String code, String message) {
    double waitSeconds = bucket.take(amount, now);
    if (waitSeconds > 0) {
      throw Refusal.busy(code, message, (long) Math.ceil(waitSeconds));
    }
  }

  /** Tokens refilled at {@code rate} per second up to one second's worth; may go negative (debt). */
  private static final class Bucket {
    private final double rate;
    private double tokens;
    private long updated;

    Bucket(double rate, long now) {
      this.rate = rate;
      this.tokens = rate;
      this.updated = now;
    }

    /** 0 when taken, else the seconds until the bucket holds something again (nothing taken). */
    synchronized double take(double amount, long now) {
      tokens = Math.min(rate, tokens + rate * (now - updated) / TimeUnit.SECONDS.toNanos(1));
      updated = now;
      double needed = Math.min(amount, rate); // a call above one second's worth waits for a full bucket
      if (tokens < needed) {
        return (needed - tokens) / rate;
      }
      tokens -= amount;
      return 0;
    }
  }
}
