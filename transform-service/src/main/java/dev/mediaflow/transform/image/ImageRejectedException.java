package dev.mediaflow.transform.image;

import dev.mediaflow.transform.MediaRejectedException;

/** An image (array or encoded file) breaks one of the image rules. */
public class ImageRejectedException extends MediaRejectedException {
  private static final long serialVersionUID = 1L;

  public ImageRejectedException(String reason) {
    super(reason);
  }

  public ImageRejectedException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
