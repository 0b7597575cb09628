package dev.mediaflow.transform.html;

import dev.mediaflow.transform.MediaRejectedException;

/** An HTML document breaks one of the html rules. */
public class HtmlRejectedException extends MediaRejectedException {
  private static final long serialVersionUID = 1L;

  public HtmlRejectedException(String reason) {
    super(reason);
  }

  public HtmlRejectedException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
