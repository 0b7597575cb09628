package dev.mediaflow.ingest.logcall;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediaflow.schemas.avro.AudioPayload;
import dev.mediaflow.schemas.avro.Box;
import dev.mediaflow.schemas.avro.BoxGroup;
import dev.mediaflow.schemas.avro.ClassLabel;
import dev.mediaflow.schemas.avro.HistogramPayload;
import dev.mediaflow.schemas.avro.HtmlPayload;
import dev.mediaflow.schemas.avro.ImagePayload;
import dev.mediaflow.schemas.avro.MaskGroup;
import dev.mediaflow.schemas.avro.MoleculePayload;
import dev.mediaflow.schemas.avro.Object3DPayload;
import dev.mediaflow.schemas.avro.VideoPayload;
import dev.mediaflow.schemas.identity.ItemIdentity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the Avro payload of each media type from its W&amp;B-shaped JSON. Only the shape of
 * the request is checked here; the media rules themselves live in the transform.
 */
final class MediaPayloads {
  private MediaPayloads() {}

  /** The payload for {@code _type}, or a {@link LogCallException} for an unknown type. */
  static Object of(String type, ItemSpec spec) {
    return switch (type) {
      case "image" -> image(spec);
      case "histogram" -> histogram(spec);
      case "object3D", "object3d" -> object3d(spec);
      case "video" -> video(spec);
      case "audio" -> audio(spec);
      case "html" -> html(spec);
      case "molecule" -> molecule(spec);
      case "" -> throw new LogCallException("item has no \"_type\"");
      default -> throw new LogCallException("unsupported media type \"" + type + "\"");
    };
  }

  static ImagePayload image(ItemSpec spec) {
    ImagePayload.Builder image = ImagePayload.newBuilder();
    exactlyOne(spec, "image", "array", "tensor", "file");
    if (spec.has("array")) {
      image.setArray(spec.array("array"));
    } else if (spec.has("tensor")) {
      image.setArray(spec.array("tensor")).setLayout("CHW");
    } else {
      image.setFile(spec.file("file"));
    }
    image.setMode(spec.text("mode"))
        .setFileType(spec.text("file_type"))
        .setCaption(spec.text("caption"))
        .setGrouping(spec.integer("grouping"))
        .setClasses(classes(spec.json().get("classes")))
        .setBoxes(boxes(spec, spec.json().get("boxes")))
        .setMasks(masks(spec, spec.json().get("masks")));
    if (spec.bool("normalize") != null) {
      image.setNormalize(spec.bool("normalize"));
    }
    return image.build();
  }

  static HistogramPayload histogram(ItemSpec spec) {
    HistogramPayload.Builder h = HistogramPayload.newBuilder();
    exactlyOne(spec, "histogram", "sequence", "np_histogram");
    if (spec.has("sequence")) {
      h.setValues(spec.array("sequence"));
    } else {
      JsonNode pair = spec.json().get("np_histogram");
      if (!pair.isArray() || pair.size() != 2) {
        throw new LogCallException("\"np_histogram\" must be [counts, edges]");
      }
      h.setCounts(spec.numbers(pair.get(0), "np_histogram counts"))
          .setEdges(spec.numbers(pair.get(1), "np_histogram edges"));
    }
    if (spec.integer("num_bins") != null) {
      h.setNumBins(spec.integer("num_bins"));
    }
    if (spec.text("non_finite") != null) {
      h.setNonFinite(spec.text("non_finite"));
    }
    return h.build();
  }

  static Object3DPayload object3d(ItemSpec spec) {
    Object3DPayload.Builder o = Object3DPayload.newBuilder().setCaption(spec.text("caption"));
    exactlyOne(spec, "object3D", "points", "scene", "file");
    if (spec.has("points")) {
      o.setPoints(spec.array("points"));
    } else if (spec.has("file")) {
      o.setFile(spec.file("file"));
    } else {
      JsonNode scene = spec.json().get("scene");
      if (!scene.isObject() || !scene.hasNonNull("points")) {
        throw new LogCallException("\"scene\" must be an object with \"points\" (and boxes, vectors, type)");
      }
      o.setPoints(new ItemSpec(scene, partsOf(spec)).array("points"));
      var rest = scene.deepCopy();
      ((com.fasterxml.jackson.databind.node.ObjectNode) rest).remove("points");
      o.setSceneJson(rest.toString());
    }
    return o.build();
  }

  static VideoPayload video(ItemSpec spec) {
    VideoPayload.Builder v = VideoPayload.newBuilder().setCaption(spec.text("caption"));
    exactlyOne(spec, "video", "frames", "file");
    if (spec.has("frames")) {
      v.setFrames(spec.array("frames"));
    } else {
      v.setFile(spec.file("file"));
    }
    if (spec.integer("fps") != null) {
      v.setFps(spec.integer("fps"));
    }
    if (spec.text("format") != null) {
      v.setFormat(spec.text("format"));
    }
    return v.build();
  }

  static AudioPayload audio(ItemSpec spec) {
    AudioPayload.Builder a = AudioPayload.newBuilder().setCaption(spec.text("caption"))
        .setSampleRate(spec.integer("sample_rate"));
    exactlyOne(spec, "audio", "samples", "file");
    if (spec.has("samples")) {
      a.setSamples(spec.array("samples"));
    } else {
      a.setFile(spec.file("file"));
    }
    return a.build();
  }

  static HtmlPayload html(ItemSpec spec) {
    HtmlPayload.Builder h = HtmlPayload.newBuilder();
    exactlyOne(spec, "html", "html", "file");
    if (spec.has("html")) {
      h.setHtml(spec.text("html"));
    } else {
      h.setFile(spec.file("file"));
    }
    if (spec.bool("inject") != null) {
      h.setInject(spec.bool("inject"));
    }
    return h.build();
  }

  static MoleculePayload molecule(ItemSpec spec) {
    MoleculePayload.Builder m = MoleculePayload.newBuilder().setCaption(spec.text("caption"));
    exactlyOne(spec, "molecule", "file", "smiles");
    if (spec.has("file")) {
      m.setFile(spec.file("file"));
    } else {
      m.setSmiles(spec.text("smiles"));
    }
    return m.build();
  }

  private static List<ClassLabel> classes(JsonNode node) {
    List<ClassLabel> classes = new ArrayList<>();
    if (node == null || node.isNull()) {
      return classes;
    }
    if (!node.isArray()) {
      throw new LogCallException("\"classes\" must be a list of {\"id\", \"name\"}");
    }
    for (JsonNode c : node) {
      if (!c.path("id").isInt() || !c.path("name").isTextual()) {
        throw new LogCallException("each class needs an integer \"id\" and a string \"name\"");
      }
      classes.add(new ClassLabel(c.get("id").asInt(), c.get("name").asText()));
    }
    return classes;
  }

  private static Map<String, BoxGroup> boxes(ItemSpec spec, JsonNode node) {
    Map<String, BoxGroup> groups = new HashMap<>();
    if (node == null || node.isNull()) {
      return groups;
    }
    if (!node.isObject()) {
      throw new LogCallException("\"boxes\" must map a group name to {box_data, class_labels}");
    }
    node.fields().forEachRemaining(g -> {
      JsonNode data = g.getValue().get("box_data");
      if (data == null || !data.isArray()) {
        throw new LogCallException("box group \"" + g.getKey() + "\" needs a \"box_data\" list");
      }
      List<Box> boxes = new ArrayList<>();
      for (int i = 0; i < data.size(); i++) {
        boxes.add(box(spec, data.get(i), "box group \"" + g.getKey() + "\" box " + i));
      }
      groups.put(g.getKey(), new BoxGroup(boxes,
          spec.labels(g.getValue().get("class_labels"), "box group \"" + g.getKey() + "\" class_labels")));
    });
    return groups;
  }

  private static Box box(ItemSpec spec, JsonNode b, String where) {
    JsonNode position = b.get("position");
    if (position == null || !position.isObject()) {
      throw new LogCallException(where + " needs a \"position\"");
    }
    if (!b.path("class_id").isInt()) {
      throw new LogCallException(where + " needs an integer \"class_id\"");
    }
    Box.Builder box = Box.newBuilder().setClassId(b.get("class_id").asInt());
    if (position.has("middle")) {
      box.setMiddle(spec.numbers(position.get("middle"), where + " middle"))
          .setWidth(number(position, "width", where)).setHeight(number(position, "height", where));
    } else {
      box.setMinX(number(position, "minX", where)).setMaxX(number(position, "maxX", where))
          .setMinY(number(position, "minY", where)).setMaxY(number(position, "maxY", where));
    }
    if (b.hasNonNull("box_caption")) {
      box.setBoxCaption(b.get("box_caption").asText());
    }
    if (b.hasNonNull("domain")) {
      box.setDomain(b.get("domain").asText());
    }
    Map<String, Double> scores = new HashMap<>();
    if (b.hasNonNull("scores")) {
      b.get("scores").fields().forEachRemaining(s -> {
        if (!s.getValue().isNumber()) {
          throw new LogCallException(where + " score \"" + s.getKey() + "\" is not a number");
        }
        scores.put(s.getKey(), s.getValue().asDouble());
      });
    }
    return box.setScores(scores).build();
  }

  private static double number(JsonNode position, String field, String where) {
    if (!position.path(field).isNumber()) {
      throw new LogCallException(where + " position needs a number \"" + field + "\"");
    }
    return position.get(field).asDouble();
  }

  private static Map<String, MaskGroup> masks(ItemSpec spec, JsonNode node) {
    Map<String, MaskGroup> groups = new HashMap<>();
    if (node == null || node.isNull()) {
      return groups;
    }
    if (!node.isObject()) {
      throw new LogCallException("\"masks\" must map a group name to {mask_data | path, class_labels}");
    }
    node.fields().forEachRemaining(g -> {
      // the transform stores group g as the object of role mask-g: its name is part of an object key
      ItemIdentity.validateName("mask group", g.getKey(), true, Integer.MAX_VALUE)
          .or(() -> ItemIdentity.validateRole("mask group", "mask-" + g.getKey()))
          .ifPresent(reason -> { throw new LogCallException(reason); });
      ItemSpec mask = new ItemSpec(g.getValue(), partsOf(spec));
      MaskGroup.Builder group = MaskGroup.newBuilder()
          .setClassLabels(spec.labels(g.getValue().get("class_labels"), "mask \"" + g.getKey() + "\" class_labels"));
      if (mask.has("mask_data")) {
        group.setMaskData(mask.array("mask_data"));
      } else if (mask.has("path")) {
        group.setFile(mask.file("path"));
      } else {
        throw new LogCallException("mask \"" + g.getKey() + "\" needs \"mask_data\" or \"path\"");
      }
      groups.put(g.getKey(), group.build());
    });
    return groups;
  }

  private static Map<String, LogCallParser.Part> partsOf(ItemSpec spec) {
    return spec.parts();
  }

  private static void exactlyOne(ItemSpec spec, String type, String... fields) {
    int present = 0;
    for (String f : fields) {
      present += spec.has(f) ? 1 : 0;
    }
    if (present != 1) {
      throw new LogCallException(type + " needs exactly one of " + String.join(", ", quoted(fields)));
    }
  }

  private static List<String> quoted(String... fields) {
    List<String> out = new ArrayList<>();
    for (String f : fields) {
      out.add("\"" + f + "\"");
    }
    return out;
  }
}
