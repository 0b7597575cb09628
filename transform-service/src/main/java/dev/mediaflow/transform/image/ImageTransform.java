package dev.mediaflow.transform.image;

import dev.mediaflow.schemas.avro.ImageInfo;
import dev.mediaflow.schemas.avro.ImagePayload;
import dev.mediaflow.schemas.avro.MediaEvent;
import dev.mediaflow.schemas.avro.MediaObject;
import dev.mediaflow.schemas.avro.NdArray;
import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.transform.EncodedMedia;
import dev.mediaflow.transform.KernelCpu;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Adapts an Avro image event to the image kernel and back to a processed event. */
public final class ImageTransform {
  public static final String MEDIA_TYPE = "image";
  public static final String ROLE = "image";
  private final int pngCompressionLevel;

  /** PNGs at the default level (6, Pillow's). */
  public ImageTransform() {
    this(PngEncoder.DEFAULT_LEVEL);
  }

  /** @param pngCompressionLevel see {@link ImageRequest#pngCompressionLevel()} */
  public ImageTransform(int pngCompressionLevel) {
    this.pngCompressionLevel = pngCompressionLevel;
  }

  /**
   * @throws ImageRejectedException when an image rule is broken
   */
  public ProcessedMedia apply(MediaEvent event, ImagePayload image) {
    ProcessedImage result = image.getArray() != null ? fromArray(image) : fromFile(image);
    List<String> warnings = new ArrayList<>(result.warnings());
    ImageOverlays overlays = ImageOverlays.of(image, result.width(), result.height());
    ImageInfo info = ImageInfo.newBuilder()
        .setWidth(result.width())
        .setHeight(result.height())
        .setMode(result.mode())
        .setFormat(result.format())
        .setCaption(image.getCaption())
        .setGrouping(image.getGrouping())
        .setClasses(overlays.classSet)
        .build();
    List<MediaObject> objects = new ArrayList<>();
    objects.add(new MediaObject(ROLE, result.extension(), result.contentType(), ByteBuffer.wrap(result.encoded())));
    objects.addAll(overlays.masks);
    return ProcessedMedia.newBuilder()
        .setIdentity(event.getIdentity())
        .setTimestamp(event.getTimestamp())
        .setProducerId(event.getProducerId())
        .setMediaType(MEDIA_TYPE)
        .setObjects(objects)
        .setWarnings(warnings)
        .setImage(info)
        .setMetadataJson(overlays.isEmpty() ? null : overlays.metadata.toString())
        .build();
  }

  private ProcessedImage fromArray(ImagePayload image) {
    if (image.getFile() != null) {
      throw new ImageRejectedException("image has both an array and a file; send one");
    }
    NdArray array = image.getArray();
    long[] shape = array.getShape().stream().mapToLong(Long::longValue).toArray();
    PixelArray pixels = new PixelArray(PixelArray.Dtype.fromNumpyName(array.getDtype()), shape, array.getData());
    String layout = image.getLayout();
    if (!layout.equals("HWC") && !layout.equals("CHW")) {
      throw new ImageRejectedException("unknown layout '" + layout + "' (HWC or CHW)");
    }
    ImageRequest request = ImageRequest.builder(pixels)
        .chwLayout(layout.equals("CHW"))
        .mode(image.getMode())
        .normalize(image.getNormalize())
        .fileType(image.getFileType())
        .pngCompressionLevel(pngCompressionLevel)
        .build();
    return ImageProcessor.process(request);
  }

  private static ProcessedImage fromFile(ImagePayload image) {
    if (image.getFile() == null) {
      throw new ImageRejectedException("image has neither an array nor a file");
    }
    byte[] data = EncodedMedia.bytesOf(image.getFile().getData());
    return KernelCpu.time(KernelCpu.IMAGE_FILE, () -> EncodedImageInspector.inspect(image.getFile().getName(), data));
  }
}
