package dev.mediaflow.runtime;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM (and SIGINT) into a graceful stop: a JVM shutdown hook that logs the signal, closes
 * the service (which drains and commits what it holds) and lets {@code main} return.
 */
public final class Shutdown {
  private static final Logger LOG = LoggerFactory.getLogger(Shutdown.class);

  private final CountDownLatch requested = new CountDownLatch(1);
  private final CountDownLatch done = new CountDownLatch(1);

  private Shutdown() {}

  /** Installs the hook that closes {@code service} on SIGTERM. */
  public static Shutdown onSignal(String name, AutoCloseable service) {
    Shutdown shutdown = new Shutdown();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown.run(name, service), name + "-shutdown"));
    return shutdown;
  }

  private void run(String name, AutoCloseable service) {
    requested.countDown();
    LOG.info("{}: stop signal received; stopping gracefully", name);
    try {
      service.close();
    } catch (Exception e) {
      LOG.error("{}: graceful stop failed", name, e);
    } finally {
      done.countDown();
    }
  }

  /** Whether the stop signal came (so an ending loop is a requested stop, not a failure). */
  public boolean requested() {
    return requested.getCount() == 0;
  }

  /** Waits until the signal came and the service is closed. */
  public void await() throws InterruptedException {
    done.await();
  }
}
