package dev.mediaflow.transform.audio;

import dev.mediaflow.transform.MediaRejectedException;

/** An audio clip (samples or file) breaks one of the audio rules. */
public class AudioRejectedException extends MediaRejectedException {
  private static final long serialVersionUID = 1L;

  public AudioRejectedException(String reason) {
    super(reason);
  }

  public AudioRejectedException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
