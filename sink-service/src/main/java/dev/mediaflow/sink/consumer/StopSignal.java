package dev.mediaflow.sink.consumer;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A one-way flag a writer checks between records and while it backs off, without interrupts. */
final class StopSignal {
  private final CountDownLatch raised = new CountDownLatch(1);

  void raise() {
    raised.countDown();
  }

  boolean isRaised() {
    return raised.getCount() == 0;
  }

  /**
   * Waits {@code millis} unless the signal is raised first.
   *
   * @return true if the whole wait passed, false if the signal was (or got) raised
   */
  boolean pause(long millis) {
    try {
      return !raised.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
