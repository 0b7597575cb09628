package dev.mediaflow.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitsTest {
  private final AtomicLong now = new AtomicLong();

  @Test
  void shouldRefuseTheCallAboveAProjectsCallsPerSecondWith429AndTheWaitThenLetItThroughLater() {
    // Given 2 calls/s for every project
    RateLimits limits = new RateLimits(2, 0, now::get);
    limits.admit("a", 0);
    limits.admit("a", 0);

    // When a third call of project a arrives in the same instant, and one of project b
    // Then a's is refused with Retry-After 1 and a reason naming the project; b's passes
    assertThatThrownBy(() -> limits.admit("a", 0)).isInstanceOfSatisfying(Refusal.class, r -> {
      assertThat(r.status()).isEqualTo(429);
      assertThat(r.errorCode()).isEqualTo("calls_rate_limited");
      assertThat(r.retryAfterSeconds()).isEqualTo(1);
      assertThat(r.getMessage()).contains("project \"a\"");
    });
    limits.admit("b", 0);
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
    limits.admit("a", 0);
  }

  @Test
  void shouldLetACallLargerThanOneSecondOfBytesPassOnAFullBucketAndMakeTheNextWait() {
    // Given 1000 bytes/s
    RateLimits limits = new RateLimits(0, 1000, now::get);

    // When a 5000-byte call arrives on a full bucket, then a small one
    limits.admit("a", 5000);

    // Then the large one passed (never refused forever) and the next waits for the debt to be paid: 5 s
    assertThatThrownBy(() -> limits.admit("a", 10)).isInstanceOfSatisfying(Refusal.class, r -> {
      assertThat(r.errorCode()).isEqualTo("bytes_rate_limited");
      assertThat(r.retryAfterSeconds()).isEqualTo(5);
    });
    now.addAndGet(TimeUnit.SECONDS.toNanos(5));
    limits.admit("a", 10);
  }

  @Test
  void shouldBeOffWithZeroLimits() {
    RateLimits limits = new RateLimits(0, 0, now::get);
    for (int i = 0; i < 10_000; i++) {
      limits.admit("a", Long.MAX_VALUE / 2);
    }
    assertThat(limits.isOff()).isTrue();
  }
}
