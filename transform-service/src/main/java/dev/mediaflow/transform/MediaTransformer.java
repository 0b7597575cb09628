package dev.mediaflow.transform;

import dev.mediaflow.schemas.avro.AudioPayload;
import dev.mediaflow.schemas.avro.HistogramPayload;
import dev.mediaflow.schemas.avro.HtmlPayload;
import dev.mediaflow.schemas.avro.ImagePayload;
import dev.mediaflow.schemas.avro.MoleculePayload;
import dev.mediaflow.schemas.avro.Object3DPayload;
import dev.mediaflow.schemas.avro.TablePayload;
import dev.mediaflow.schemas.avro.VideoPayload;
import dev.mediaflow.schemas.avro.MediaEvent;
import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.transform.image.ImageTransform;

/** Applies the media rules to one raw event, by payload type. Pure: no I/O. */
public final class MediaTransformer {
  private final ImageTransform images;
  private final MediaRules rules;

  public MediaTransformer() {
    this(MediaRules.DEFAULTS);
  }

  public MediaTransformer(MediaRules rules) {
    this.rules = rules;
    this.images = new ImageTransform(rules.pngCompressionLevel());
  }

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

  /** Images time their kernels inside; the other types are timed whole here (see {@link KernelCpu}). */
  private ProcessedMedia dispatch(MediaEvent event) {
    Object payload = event.getPayload();
    if (payload instanceof ImagePayload image) {
      return images.apply(event, image);
    } else if (payload instanceof HistogramPayload histogram) {
      return KernelCpu.time(KernelCpu.HISTOGRAM, () -> OtherMedia.histogram(event, histogram));
    } else if (payload instanceof Object3DPayload object3d) {
      return KernelCpu.time(KernelCpu.POINTCLOUD, () -> Object3DTransform.apply(event, object3d, rules));
    } else if (payload instanceof VideoPayload video) {
      return KernelCpu.time(KernelCpu.VIDEO, () -> OtherMedia.video(event, video));
    } else if (payload instanceof AudioPayload audio) {
      return KernelCpu.time(KernelCpu.AUDIO, () -> OtherMedia.audio(event, audio));
    } else if (payload instanceof TablePayload table) {
      return KernelCpu.time(KernelCpu.TABLE, () -> OtherMedia.table(event, table, rules.tableMaxRows()));
    } else if (payload instanceof HtmlPayload html) {
      return KernelCpu.time(KernelCpu.HTML, () -> OtherMedia.html(event, html));
    } else if (payload instanceof MoleculePayload molecule) {
      return KernelCpu.time(KernelCpu.MOLECULE, () -> OtherMedia.molecule(event, molecule));
    }
    throw new MediaRejectedException("unsupported payload type " + payload.getClass().getSimpleName());
  }
}
