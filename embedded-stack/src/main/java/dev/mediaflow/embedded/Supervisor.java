package dev.mediaflow.embedded;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Watches the parts of the embedded stack that can die on their own (the broker and registry
 * processes, the services) and restarts one that did, on the same data and ports, a bounded
 * number of times. When a part keeps dying it gives up with one clear message instead of
 * leaving a silently broken stack.
 */
final class Supervisor implements AutoCloseable {
  /** Restarts allowed per part within {@link #WINDOW}; one more death and the stack gives up. */
  static final int MAX_RESTARTS = 3;
  static final Duration WINDOW = Duration.ofMinutes(10);
  private static final long POLL_MILLIS = 500;

  /**
   * A part to watch.
   *
   * @param name as in log lines, e.g. "Kafka broker"
   * @param hasDied true once it ended without being told to (never for a part stopped on purpose)
   * @param exitCode its exit code for the message, -1 if it has none (an in-process service)
   * @param restart starts it again on the same data and ports; throws if it cannot
   */
  record Part(String name, BooleanSupplier hasDied, IntSupplier exitCode, Runnable restart) {}

  private final List<Part> parts;
  private final Consumer<String> progress;
  private final Consumer<String> giveUp;
  private final Map<String, Deque<Long>> restarts = new HashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * @param progress receives one line per death and restart
   * @param giveUp called once, with the reason, when a part died more than {@link #MAX_RESTARTS}
   *     times within {@link #WINDOW}; the supervisor stops watching after it
   */
  Supervisor(List<Part> parts, Consumer<String> progress, Consumer<String> giveUp) {
    this.parts = List.copyOf(parts);
    this.progress = progress;
    this.giveUp = giveUp;
    this.thread = new Thread(this::watch, "stack-supervisor");
    thread.setDaemon(true);
  }

  Supervisor start() {
    thread.start();
    return this;
  }

  /** @return true if called on the supervisor's own thread (a give-up closing the stack) */
  boolean isCurrentThread() {
    return Thread.currentThread() == thread;
  }

  private void watch() {
    while (running) {
      for (Part part : parts) {
        if (running && part.hasDied().getAsBoolean() && !revive(part)) {
          running = false;
          return;
        }
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Restarts a part that died; false if it died too often (after telling why). */
  private boolean revive(Part part) {
    int exitCode = part.exitCode().getAsInt();
    String died = part.name() + " died" + (exitCode >= 0 ? " (exit code " + exitCode + ")" : "");
    int attempt = recordAttempt(part.name());
    if (attempt > MAX_RESTARTS) {
      giveUp.accept(died + " for the " + ordinal(attempt) + " time within " + WINDOW.toMinutes()
          + " min; giving up after " + MAX_RESTARTS + " restarts: the stack stops");
      return false;
    }
    progress.accept(died + "; restarting it (attempt " + attempt + " of " + MAX_RESTARTS + ")");
    long begin = System.nanoTime();
    try {
      part.restart().run();
      progress.accept(part.name() + " restarted in " + (System.nanoTime() - begin) / 1_000_000 + " ms");
    } catch (RuntimeException e) {
      // the next poll sees it dead again and counts another attempt
      progress.accept(part.name() + " could not be restarted: " + e.getMessage());
    }
    return true;
  }

  private int recordAttempt(String name) {
    long now = System.nanoTime();
    Deque<Long> times = restarts.computeIfAbsent(name, n -> new ArrayDeque<>());
    while (!times.isEmpty() && now - times.peekFirst() > WINDOW.toNanos()) {
      times.removeFirst();
    }
    times.addLast(now);
    return times.size();
  }

  private static String ordinal(int n) {
    return n + (n == 1 ? "st" : n == 2 ? "nd" : n == 3 ? "rd" : "th");
  }

  /** Stops watching; waits for a restart under way unless called from the supervisor itself. */
  @Override
  public void close() {
    running = false;
    if (isCurrentThread()) {
      return;
    }
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
