package dev.mediaflow.transform.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediaflow.schemas.avro.Box;
import dev.mediaflow.schemas.avro.BoxGroup;
import dev.mediaflow.schemas.avro.ClassLabel;
import dev.mediaflow.schemas.avro.ImagePayload;
import dev.mediaflow.schemas.avro.MaskGroup;
import dev.mediaflow.schemas.avro.MediaObject;
import dev.mediaflow.schemas.avro.NdArray;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bounding boxes and segmentation masks of an image: checked against the image, normalized
 * for drawing and filtering (both box position forms become min/max, missing class labels
 * become {@code class_<id>}), masks encoded as PNGs of class ids, and the image's class set
 * merged from {@code classes} and every group's labels.
 */
final class ImageOverlays {
  private static final ObjectMapper JSON = new ObjectMapper();

  final ObjectNode metadata = JSON.createObjectNode();
  final List<MediaObject> masks = new ArrayList<>();
  final List<ClassLabel> classSet = new ArrayList<>();

  private ImageOverlays() {}

  static ImageOverlays of(ImagePayload image, int width, int height) {
    ImageOverlays overlays = new ImageOverlays();
    Map<Integer, String> classes = new TreeMap<>();
    image.getClasses().forEach(c -> classes.put(c.getId(), c.getName()));
    ObjectNode boxesNode = overlays.metadata.putObject("boxes");
    for (Map.Entry<String, BoxGroup> group : new TreeMap<>(image.getBoxes()).entrySet()) {
      boxesNode.set(group.getKey(), boxes(group.getKey(), group.getValue(), classes));
    }
    ObjectNode masksNode = overlays.metadata.putObject("masks");
    for (Map.Entry<String, MaskGroup> group : new TreeMap<>(image.getMasks()).entrySet()) {
      overlays.masks.add(mask(group.getKey(), group.getValue(), width, height));
      ObjectNode node = masksNode.putObject(group.getKey()).put("role", maskRole(group.getKey()));
      ObjectNode labels = node.putObject("class_labels");
      new TreeMap<>(group.getValue().getClassLabels()).forEach((id, name) -> {
        labels.put(id, name);
        classes.putIfAbsent(Integer.parseInt(id), name);
      });
    }
    classes.forEach((id, name) -> overlays.classSet.add(new ClassLabel(id, name)));
    return overlays;
  }

  boolean isEmpty() {
    return metadata.get("boxes").isEmpty() && metadata.get("masks").isEmpty();
  }

  static String maskRole(String group) {
    return "mask-" + group;
  }

  private static ObjectNode boxes(String name, BoxGroup group, Map<Integer, String> classes) {
    ObjectNode out = JSON.createObjectNode();
    ObjectNode labels = out.putObject("class_labels");
    new TreeMap<>(group.getClassLabels()).forEach((id, label) -> {
      labels.put(id, label);
      classes.putIfAbsent(Integer.parseInt(id), label);
    });
    ArrayNode data = out.putArray("box_data");
    for (int i = 0; i < group.getBoxData().size(); i++) {
      Box box = group.getBoxData().get(i);
      String where = "box group \"" + name + "\" box " + i;
      if (box.getDomain() != null && !box.getDomain().equals("pixel")) {
        throw new ImageRejectedException(where + ": domain must be \"pixel\" or absent, got \"" + box.getDomain() + "\"");
      }
      String label = group.getClassLabels().get(Integer.toString(box.getClassId()));
      if (label == null) {
        label = "class_" + box.getClassId();
        labels.put(Integer.toString(box.getClassId()), label);
        classes.putIfAbsent(box.getClassId(), label);
      }
      data.add(box(box, where).put("class_id", box.getClassId()).put("label", label));
    }
    return out;
  }

  private static ObjectNode box(Box box, String where) {
    double minX;
    double maxX;
    double minY;
    double maxY;
    if (box.getMiddle() != null) {
      if (box.getMiddle().size() != 2 || box.getWidth() == null || box.getHeight() == null) {
        throw new ImageRejectedException(where + ": middle needs [x, y] with width and height");
      }
      minX = box.getMiddle().get(0) - box.getWidth() / 2;
      maxX = box.getMiddle().get(0) + box.getWidth() / 2;
      minY = box.getMiddle().get(1) - box.getHeight() / 2;
      maxY = box.getMiddle().get(1) + box.getHeight() / 2;
    } else {
      if (box.getMinX() == null || box.getMaxX() == null || box.getMinY() == null || box.getMaxY() == null) {
        throw new ImageRejectedException(where + ": position needs minX, maxX, minY, maxY or middle/width/height");
      }
      minX = box.getMinX();
      maxX = box.getMaxX();
      minY = box.getMinY();
      maxY = box.getMaxY();
    }
    ObjectNode node = JSON.createObjectNode();
    node.putObject("position").put("minX", minX).put("maxX", maxX).put("minY", minY).put("maxY", maxY);
    if (box.getDomain() != null) {
      node.put("domain", box.getDomain());
    }
    if (box.getBoxCaption() != null) {
      node.put("box_caption", box.getBoxCaption());
    }
    ObjectNode scores = node.putObject("scores");
    new TreeMap<>(box.getScores()).forEach(scores::put);
    return node;
  }

  private static MediaObject mask(String name, MaskGroup group, int width, int height) {
    ProcessedImage encoded;
    if (group.getMaskData() != null) {
      encoded = maskPng(name, group.getMaskData());
    } else if (group.getFile() != null) {
      byte[] bytes = new byte[group.getFile().getData().remaining()];
      group.getFile().getData().duplicate().get(bytes);
      encoded = EncodedImageInspector.inspect(group.getFile().getName(), bytes);
    } else {
      throw new ImageRejectedException("mask \"" + name + "\" has neither mask_data nor a file");
    }
    if (encoded.width() != width || encoded.height() != height) {
      throw new ImageRejectedException("mask \"" + name + "\" is " + encoded.height() + "×" + encoded.width()
          + " (height×width), the image is " + height + "×" + width);
    }
    return new MediaObject(maskRole(name), encoded.extension(), encoded.contentType(),
        ByteBuffer.wrap(encoded.encoded()));
  }

  /** Class ids as pixel values of an L-mode PNG, as the reference stores masks (astype uint8). */
  private static ProcessedImage maskPng(String name, NdArray mask) {
    PixelArray.Dtype dtype = PixelArray.Dtype.fromNumpyName(mask.getDtype());
    if (dtype.isFloating()) {
      throw new ImageRejectedException("mask \"" + name + "\" must hold integer class ids, not " + mask.getDtype());
    }
    long[] shape = mask.getShape().stream().mapToLong(Long::longValue).toArray();
    if (shape.length != 2) {
      throw new ImageRejectedException("mask \"" + name + "\" must be 2-D (height, width), got "
          + PixelArray.shapeText(shape));
    }
    PixelArray pixels = new PixelArray(dtype, shape, mask.getData());
    return ImageProcessor.process(ImageRequest.builder(pixels).mode("L").normalize(false).fileType("png").build());
  }
}
