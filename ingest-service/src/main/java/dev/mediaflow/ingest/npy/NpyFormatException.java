package dev.mediaflow.ingest.npy;

/** The bytes are not a .npy array we accept; the message says why. */
public final class NpyFormatException extends IllegalArgumentException {
  public NpyFormatException(String message) {
    super(message);
  }
}
