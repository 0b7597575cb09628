package dev.mediaflow.ingest.logcall;

/** The log call as a whole is malformed (no item can be read from it). */
public final class LogCallException extends IllegalArgumentException {
  public LogCallException(String message) {
    super(message);
  }
}
