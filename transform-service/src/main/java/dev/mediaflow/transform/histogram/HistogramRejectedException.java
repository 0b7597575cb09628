package dev.mediaflow.transform.histogram;

import dev.mediaflow.transform.MediaRejectedException;

/** A histogram (values to bin, or a precomputed pair) breaks one of the histogram rules. */
public class HistogramRejectedException extends MediaRejectedException {
  private static final long serialVersionUID = 1L;

  public HistogramRejectedException(String reason) {
    super(reason);
  }
}
