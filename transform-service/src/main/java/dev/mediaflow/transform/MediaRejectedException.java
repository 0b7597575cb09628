package dev.mediaflow.transform;

import java.util.Objects;

/**
 * A media item breaks one of the media rules and is rejected. The {@link #reason()} is a
 * short, human-readable text meant for the dead-letter record (it does not name the item;
 * the caller adds project, run, key, step and index).
 */
public class MediaRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String reason;

  public MediaRejectedException(String reason) {
    super(reason);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public MediaRejectedException(String reason, Throwable cause) {
    super(reason, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Why the item was rejected. */
  public String reason() {
    return reason;
  }
}
