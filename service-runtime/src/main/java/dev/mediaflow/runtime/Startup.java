package dev.mediaflow.runtime;

import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's {@code main} start: a refusal the operator must act on (missing topics, invalid
 * settings) ends the process with one clear ERROR line and exit code {@value #REFUSED}, not a
 * stack trace; anything else propagates as before.
 */
public final class Startup {
  /** The exit code of a refused start. */
  public static final int REFUSED = 2;
  private static final Logger LOG = LoggerFactory.getLogger(Startup.class);

  private Startup() {}

  /** Runs {@code start}; on {@link MissingTopicsException} or {@link ConfigException} logs it and exits. */
  public static <S> S orExit(String name, Callable<S> start) throws Exception {
    try {
      return start.call();
    } catch (MissingTopicsException | ConfigException e) {
      LOG.error("{} refused to start: {}", name, e.getMessage());
      System.exit(REFUSED);
      throw e; // not reached
    }
  }
}
