package dev.mediaflow.transform;

import dev.mediaflow.schemas.avro.MediaEvent;
import java.util.Map;

/**
 * The reference's per-step advice: more than 50 images or 100 audio clips under one key at
 * one step slow a UI down. We store them all and say so in the item's warnings.
 */
final class StepAdvice {
  private static final Map<String, Integer> ADVISED_MAXIMUM = Map.of("image", 50, "audio", 100);

  private StepAdvice() {}

  /** The warning for this item, or null. */
  static String warning(MediaEvent event, String mediaType) {
    Integer max = ADVISED_MAXIMUM.get(mediaType);
    Integer logged = event.getListSize();
    if (max == null || logged == null || logged <= max) {
      return null;
    }
    return logged + " " + mediaType + " items under key \"" + event.getIdentity().getKey() + "\" at step "
        + event.getIdentity().getStep() + ": more than the advised " + max + "; all are stored";
  }
}
