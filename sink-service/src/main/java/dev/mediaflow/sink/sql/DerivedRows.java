package dev.mediaflow.sink.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queryable rows of one item (tables {@code media_box}, {@code media_box_score},
 * {@code media_class}, {@code histogram_bin}, {@code media_facts}), derived from its
 * {@code media_item} row alone: the JSON columns the transform filled, plus width and height for
 * the second position domain of boxes. Pure: no I/O. Deriving only from the row means the same
 * row always gives the same derived rows, whoever stored it and whenever.
 *
 * @param boxes one per box of every box group
 * @param scores one per score of every box
 * @param classes the item's class set
 * @param bins one per histogram bin
 * @param facts point-cloud, table, video or audio facts; {@code null} for other types
 */
public record DerivedRows(List<Box> boxes, List<Score> scores, List<ItemClass> classes, List<Bin> bins,
    Facts facts) {

  private static final Logger LOG = LoggerFactory.getLogger(DerivedRows.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A box: {@code px*} in pixels, {@code rel*} as fractions of the image size; domain as logged. */
  public record Box(String group, int boxIndex, int classId, String label, String domain,
      double pxMinX, double pxMaxX, double pxMinY, double pxMaxY,
      double relMinX, double relMaxX, double relMinY, double relMaxY, String caption) {
  }

  /** One named score of a box, with the box's class. */
  public record Score(String group, int boxIndex, int classId, String label, String name, double value) {
  }

  /** One class of the item's class set. */
  public record ItemClass(int id, String name) {
  }

  /** One histogram bin: {@code [left, right)} holds {@code count}. */
  public record Bin(int index, double left, double right, double count) {
  }

  /** Facts of a point cloud, table, video or audio item; null where unknown. */
  public record Facts(String mediaType, Long originalPoints, Long keptPoints, Integer truncated, Long rowCount,
      Integer columnCount, Long frameCount, Double fps, Double durationSeconds, Integer sampleRate,
      Integer channels, Integer width, Integer height, String format) {
  }

  /** No derived rows (the item's earlier ones are still removed when it is written). */
  public static DerivedRows none() {
    return new DerivedRows(List.of(), List.of(), List.of(), List.of(), null);
  }

  /**
   * The derived rows of {@code row}. JSON the transform did not write (metadata of another shape)
   * gives no derived rows rather than a refused item: the item's own row is what must be stored.
   */
  public static DerivedRows of(MediaRow row) {
    try {
      JsonNode metadata = row.metadataJson() == null ? JSON.missingNode() : JSON.readTree(row.metadataJson());
      if (metadata.isMissingNode() && !row.mediaType().equals("image")) {
        return none();
      }
      return switch (row.mediaType()) {
        case "image" -> image(row, metadata);
        case "histogram" -> new DerivedRows(List.of(), List.of(), List.of(), bins(metadata), null);
        case "object3D", "table", "video", "audio" ->
            new DerivedRows(List.of(), List.of(), List.of(), List.of(), facts(row.mediaType(), metadata));
        default -> none();
      };
    } catch (JsonProcessingException | RuntimeException e) {
      LOG.warn("no queryable rows for {}: its metadata is not of the expected shape: {}",
          row.describeIdentity(), e.toString());
      return none();
    }
  }

  private static DerivedRows image(MediaRow row, JsonNode metadata) throws JsonProcessingException {
    List<Box> boxes = new ArrayList<>();
    List<Score> scores = new ArrayList<>();
    double width = row.width() == null ? Double.NaN : row.width();
    double height = row.height() == null ? Double.NaN : row.height();
    Iterator<Map.Entry<String, JsonNode>> groups = metadata.path("boxes").fields();
    while (groups.hasNext()) {
      Map.Entry<String, JsonNode> group = groups.next();
      JsonNode data = group.getValue().path("box_data");
      for (int i = 0; i < data.size(); i++) {
        Box box = box(group.getKey(), i, data.get(i), width, height);
        boxes.add(box);
        data.get(i).path("scores").fields().forEachRemaining(score -> scores.add(new Score(box.group(),
            box.boxIndex(), box.classId(), box.label(), score.getKey(), score.getValue().asDouble())));
      }
    }
    List<ItemClass> classes = new ArrayList<>();
    for (JsonNode c : JSON.readTree(row.classesJson())) {
      classes.add(new ItemClass(c.get("id").asInt(), c.get("name").asText()));
    }
    return new DerivedRows(boxes, scores, classes, List.of(), null);
  }

  private static Box box(String group, int index, JsonNode node, double width, double height) {
    JsonNode p = node.get("position");
    double minX = p.get("minX").asDouble();
    double maxX = p.get("maxX").asDouble();
    double minY = p.get("minY").asDouble();
    double maxY = p.get("maxY").asDouble();
    boolean pixel = "pixel".equals(node.path("domain").asText(null));
    // the other domain through the image size: pixels = fraction × width (or height)
    double sx = pixel ? 1 / width : width;
    double sy = pixel ? 1 / height : height;
    double[] other = {minX * sx, maxX * sx, minY * sy, maxY * sy};
    String caption = node.hasNonNull("box_caption") ? node.get("box_caption").asText() : null;
    int classId = node.get("class_id").asInt();
    String label = node.get("label").asText();
    return pixel
        ? new Box(group, index, classId, label, "pixel", minX, maxX, minY, maxY,
            other[0], other[1], other[2], other[3], caption)
        : new Box(group, index, classId, label, "relative", other[0], other[1], other[2], other[3],
            minX, maxX, minY, maxY, caption);
  }

  private static List<Bin> bins(JsonNode histogram) {
    JsonNode values = histogram.get("values");
    JsonNode edges = histogram.get("bins");
    if (values.size() + 1 != edges.size()) {
      throw new IllegalArgumentException(values.size() + " values need " + (values.size() + 1) + " edges, got "
          + edges.size());
    }
    List<Bin> bins = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      bins.add(new Bin(i, edges.get(i).asDouble(), edges.get(i + 1).asDouble(), values.get(i).asDouble()));
    }
    return bins;
  }

  private static Facts facts(String mediaType, JsonNode m) {
    Long frames = longOrNull(m, "frames");
    Double fps = doubleOrNull(m, "fps");
    Double duration = doubleOrNull(m, "duration_seconds");
    if (duration == null && frames != null && fps != null && fps > 0) {
      duration = frames / fps;
    }
    Integer truncated = m.has("truncated") ? (m.get("truncated").asBoolean() ? 1 : 0) : null;
    return new Facts(mediaType, longOrNull(m, "original_count"), longOrNull(m, "kept_count"), truncated,
        longOrNull(m, "nrows"), intOrNull(m, "ncols"), frames, fps, duration, intOrNull(m, "sample_rate"),
        intOrNull(m, "channels"), intOrNull(m, "width"), intOrNull(m, "height"),
        m.hasNonNull("format") ? m.get("format").asText() : m.path("type").asText(null));
  }

  private static Long longOrNull(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asLong() : null;
  }

  private static Integer intOrNull(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asInt() : null;
  }

  private static Double doubleOrNull(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asDouble() : null;
  }
}
