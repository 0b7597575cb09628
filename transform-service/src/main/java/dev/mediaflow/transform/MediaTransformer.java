package dev.mediaflow.transform;

import dev.mediaflow.schemas.avro.ImagePayload;
import dev.mediaflow.schemas.avro.MediaEvent;
import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.transform.image.ImageTransform;

/** Applies the media rules to one raw event, by payload type. Pure: no I/O. */
public final class MediaTransformer {
  private final ImageTransform images = new ImageTransform();

  /**
   * @throws MediaRejectedException when the item breaks a media rule (the reason says which)
   */
  public ProcessedMedia transform(MediaEvent event) {
    ProcessedMedia processed = dispatch(event);
    String advice = StepAdvice.warning(event, processed.getMediaType());
    if (advice != null) {
      processed.getWarnings().add(advice);
    }
    return processed;
  }

  private ProcessedMedia dispatch(MediaEvent event) {
    Object payload = event.getPayload();
    if (payload instanceof ImagePayload image) {
      return images.apply(event, image);
    }
    throw new MediaRejectedException("unsupported payload type " + payload.getClass().getSimpleName());
  }
}
