package dev.mediaflow.query.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediaflow.query.http.Exchange;
import dev.mediaflow.query.store.ItemRow;
import dev.mediaflow.schemas.identity.ItemIdentity;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * An item as the API shows it (see docs/QUERY-API.md, "Item"): its row, its overlays with every
 * box also in pixels, its point-cloud facts and the URLs of its objects, preview and PLY.
 */
final class ItemJson {
  /** Role of a point cloud's binary PLY object (written by the transform). */
  static final String PLY_ROLE = "ply";
  /** Role of a point cloud's pts.json (the reference's format, with the scene's boxes and vectors). */
  static final String SCENE_ROLE = "object3D";

  private ItemJson() {}

  static ObjectNode of(ItemRow row) {
    ObjectNode node = Exchange.JSON.createObjectNode();
    node.put("project", row.project()).put("run", row.run()).put("key", row.key()).put("step", row.step())
        .put("index", row.index()).put("summary", row.step() == ItemIdentity.SUMMARY_STEP)
        .put("media_type", row.mediaType());
    node.put("width", row.width()).put("height", row.height()).put("mode", row.mode()).put("format", row.format())
        .put("content_type", row.contentType()).put("byte_size", row.byteSize()).put("sha256", row.sha256())
        .put("caption", row.caption()).put("grouping", row.grouping()).put("logged_at", row.loggedAt());
    node.set("warnings", parse(row.warningsJson()));
    node.set("classes", parse(row.classesJson()));
    JsonNode metadata = row.metadataJson() == null ? null : parse(row.metadataJson());
    node.set("metadata", metadata);
    boolean image = row.mediaType().equals("image");
    node.set("boxes", image && metadata != null ? pixelBoxes(metadata.path("boxes"), row) : emptyObject());
    ObjectNode objects = objects(row);
    node.set("masks", image && metadata != null ? masks(metadata.path("masks"), objects) : emptyObject());
    node.set("points", points(row, metadata, objects));
    node.put("url", mainUrl(row, objects));
    node.put("preview_url", image && row.objectKey() != null ? Urls.preview(row) : null);
    node.put("ply_url", objects.has(PLY_ROLE) ? Urls.ply(row) : null);
    node.set("objects", objects);
    return node;
  }

  /** Every stored object by role, as its URL. */
  private static ObjectNode objects(ItemRow row) {
    ObjectNode objects = Exchange.JSON.createObjectNode();
    parse(row.objectKeysJson()).fieldNames().forEachRemaining(role -> objects.put(role, Urls.object(row, role)));
    return objects;
  }

  /** The URL of the object whose key is the row's {@code object_key}. */
  private static String mainUrl(ItemRow row, ObjectNode objects) {
    if (row.objectKey() == null) {
      return null;
    }
    Iterator<Map.Entry<String, JsonNode>> keys = parse(row.objectKeysJson()).fields();
    while (keys.hasNext()) {
      Map.Entry<String, JsonNode> entry = keys.next();
      if (entry.getValue().asText().equals(row.objectKey())) {
        return objects.get(entry.getKey()).asText();
      }
    }
    return null;
  }

  /** The stored box groups, each box with {@code px}: its corners in pixels of the stored image. */
  private static ObjectNode pixelBoxes(JsonNode groups, ItemRow row) {
    ObjectNode out = groups.isObject() ? ((ObjectNode) groups).deepCopy() : emptyObject();
    double width = row.width() == null ? 0 : row.width();
    double height = row.height() == null ? 0 : row.height();
    out.elements().forEachRemaining(group -> group.path("box_data").forEach(box -> {
      JsonNode p = box.path("position");
      boolean pixel = "pixel".equals(box.path("domain").asText(null));
      double sx = pixel ? 1 : width;
      double sy = pixel ? 1 : height;
      ((ObjectNode) box).putObject("px").put("min_x", p.path("minX").asDouble() * sx)
          .put("max_x", p.path("maxX").asDouble() * sx).put("min_y", p.path("minY").asDouble() * sy)
          .put("max_y", p.path("maxY").asDouble() * sy);
    }));
    return out;
  }

  /** Each mask group's class labels and the URL of its PNG of class ids. */
  private static ObjectNode masks(JsonNode groups, ObjectNode objects) {
    ObjectNode out = emptyObject();
    groups.fields().forEachRemaining(group -> {
      String role = group.getValue().path("role").asText("mask-" + group.getKey());
      ObjectNode mask = out.putObject(group.getKey());
      mask.set("class_labels", group.getValue().path("class_labels").isObject()
          ? group.getValue().get("class_labels") : emptyObject());
      mask.put("url", objects.has(role) ? objects.get(role).asText() : null);
    });
    return out;
  }

  /** A stored point cloud's counts and truncation, or null for anything else. */
  private static JsonNode points(ItemRow row, JsonNode metadata, ObjectNode objects) {
    if (metadata == null || !objects.has(PLY_ROLE) || !metadata.has("kept_count")) {
      return null;
    }
    ObjectNode points = Exchange.JSON.createObjectNode();
    points.put("kept", metadata.path("kept_count").asLong()).put("original", metadata.path("original_count").asLong())
        .put("truncated", metadata.path("truncated").asBoolean()).put("strategy", metadata.path("strategy").asText(null))
        .put("limit", metadata.path("limit").asLong()).put("columns", metadata.path("columns").asInt());
    return points;
  }

  private static ObjectNode emptyObject() {
    return Exchange.JSON.createObjectNode();
  }

  static JsonNode parse(String json) {
    try {
      return Exchange.JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("stored JSON does not parse: " + e.getOriginalMessage(), e);
    }
  }
}
