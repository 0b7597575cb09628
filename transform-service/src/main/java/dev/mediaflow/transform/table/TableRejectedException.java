package dev.mediaflow.transform.table;

import dev.mediaflow.transform.MediaRejectedException;

/** A table breaks one of the table rules. */
public class TableRejectedException extends MediaRejectedException {
  private static final long serialVersionUID = 1L;

  public TableRejectedException(String reason) {
    super(reason);
  }

  public TableRejectedException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
