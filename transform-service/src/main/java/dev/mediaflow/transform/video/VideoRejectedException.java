package dev.mediaflow.transform.video;

import dev.mediaflow.transform.MediaRejectedException;

/** A video (file or frames) breaks one of the video rules. */
public class VideoRejectedException extends MediaRejectedException {
  private static final long serialVersionUID = 1L;

  public VideoRejectedException(String reason) {
    super(reason);
  }

  public VideoRejectedException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
