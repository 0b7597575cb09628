package dev.mediaflow.ingest.logcall;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.mediaflow.ingest.npy.NpyFormatException;
import dev.mediaflow.schemas.avro.MediaEvent;
import dev.mediaflow.schemas.avro.MediaIdentity;
import dev.mediaflow.schemas.avro.TablePayload;
import dev.mediaflow.schemas.identity.ItemIdentity;
import dev.mediaflow.schemas.topics.ItemKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one W&amp;B-shaped log call into media events:
 * {@code {"step": 3, "data": {"examples": [{"_type": "image", "array": "a0", ...}]}}}, where
 * {@code "array"}/{@code "tensor"}/{@code "file"} name other parts of the request. A value
 * may be one item or a list (the list position, plus the call's optional {@code "first_index"},
 * is the item's index); plain values (numbers, strings, and lists or dicts of them) are not
 * media and are skipped. Structural problems of one item reject that item only; the media rules
 * themselves (shapes, file types, decoding) are applied by the transform.
 */
public final class LogCallParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(LogCallParser.class);

  private final String producerId;

  public LogCallParser(String producerId) {
    this.producerId = producerId;
  }

  /** Parses the JSON of a log call; {@code parts} holds the other request parts by name. */
  public List<LoggedItem> parse(String project, String run, String logJson, Map<String, Part> parts) {
    return parse(project, run, logJson, parts, false);
  }

  /**
   * Parses the JSON of a log call, or with {@code summary} of a run's summary call
   * ({@code run.summary.update}): the same body without {@code "step"}, its items stored with
   * the reserved step {@link ItemIdentity#SUMMARY_STEP}.
   */
  public List<LoggedItem> parse(String project, String run, String logJson, Map<String, Part> parts, boolean summary) {
    JsonNode root = readJson(logJson);
    long step = summary ? summaryStep(root) : loggedStep(root);
    JsonNode data = root.get("data");
    if (data == null || !data.isObject()) {
      throw new LogCallException("log call needs \"data\": an object of key → media item(s)");
    }
    long timestamp = root.path("timestamp").canConvertToLong() ? root.get("timestamp").asLong() : Instant.now().toEpochMilli();
    int firstIndex = firstIndex(root);
    List<LoggedItem> items = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      JsonNode value = entry.getValue();
      if (isPlainData(value)) {
        continue; // a scalar, or a list/dict of scalars: not media (the reference logs it as plain data)
      }
      List<JsonNode> specs = new ArrayList<>();
      if (value.isArray()) {
        value.forEach(specs::add); // the list position is the item's index
      } else {
        specs.add(value);
      }
      if ((long) firstIndex + specs.size() - 1 > Integer.MAX_VALUE) {
        throw new LogCallException("\"first_index\" " + firstIndex + " plus the list size of \"" + entry.getKey()
            + "\" is above " + Integer.MAX_VALUE);
      }
      for (int position = 0; position < specs.size(); position++) {
        MediaIdentity id = new MediaIdentity(project, run, entry.getKey(), step, firstIndex + position);
        List<LoggedItem> parsed = parseItem(id, timestamp, specs.get(position), parts);
        if (parsed.get(0).isAccepted()) {
          parsed.get(0).event().setListSize(specs.size());
        }
        items.addAll(parsed);
      }
    }
    return items;
  }

  /** The step of a log call: non-negative, so no call can write the summary's reserved step. */
  private static long loggedStep(JsonNode root) {
    JsonNode stepNode = root.get("step");
    if (stepNode == null || !stepNode.canConvertToLong() || !stepNode.isIntegralNumber() || stepNode.asLong() < 0) {
      throw new LogCallException("log call needs \"step\": a non-negative integer");
    }
    return stepNode.asLong();
  }

  /** A summary call has no step of its own (a step there is a client's mistake, not ignored). */
  private static long summaryStep(JsonNode root) {
    if (root.has("step")) {
      throw new LogCallException("a summary call has no \"step\" (its media is logged once per run);"
          + " post media of a step to /log");
    }
    return ItemIdentity.SUMMARY_STEP;
  }

  /**
   * The optional {@code "first_index"} of a call: the list position given to the first element
   * of every value (default 0). A re-posted ingest dead letter uses it to keep its item's index.
   */
  private static int firstIndex(JsonNode root) {
    JsonNode node = root.get("first_index");
    if (node == null || node.isNull()) {
      return 0;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 0) {
      throw new LogCallException("\"first_index\" must be a non-negative integer");
    }
    return node.asInt();
  }

  /**
   * True for what is not media: a scalar, or a list or dict (without {@code "_type"}) holding
   * only such values. A value holding an object with {@code "_type"} anywhere is media.
   */
  static boolean isPlainData(JsonNode value) {
    if (value.isValueNode()) {
      return true;
    }
    if (value.isObject() && value.has("_type")) {
      return false;
    }
    for (JsonNode child : value) {
      if (!isPlainData(child)) {
        return false;
      }
    }
    return true;
  }

  private List<LoggedItem> parseItem(MediaIdentity id, long timestamp, JsonNode spec, Map<String, Part> parts) {
    Optional<String> badKey = ItemIdentity.validateKey(id.getKey());
    if (badKey.isPresent()) {
      return List.of(LoggedItem.rejected(id, spec, badKey.get()));
    }
    if (!spec.isObject()) {
      return List.of(LoggedItem.rejected(id, spec, "item must be an object with \"_type\""));
    }
    String type = spec.path("_type").asText("");
    List<LoggedItem> items = new ArrayList<>();
    try {
      Object payload = type.equals("table")
          ? table(id, timestamp, spec, parts, items)
          : MediaPayloads.of(type, new ItemSpec(spec, parts));
      items.add(0, LoggedItem.accepted(id, spec, event(id, timestamp, payload)));
    } catch (LogCallException | NpyFormatException e) {
      items.clear();
      items.add(LoggedItem.rejected(id, spec, e.getMessage()));
    } catch (RuntimeException e) {
      // a fault of ours, not of the call: this item's reason, never the whole call's
      LOG.warn("unexpected error reading item {}", id, e);
      items.clear();
      items.add(LoggedItem.rejected(id, spec, "cannot read item: " + e));
    }
    return items;
  }

  private MediaEvent event(MediaIdentity id, long timestamp, Object payload) {
    return MediaEvent.newBuilder()
        .setIdentity(id)
        .setTimestamp(Instant.ofEpochMilli(timestamp))
        .setProducerId(producerId)
        .setPayload(payload)
        .build();
  }

  /**
   * A table's media cells become items of their own, under key {@code <key>.cells}
   * ({@link ItemIdentity#tableCellsKey}, a suffix user keys may not end with) with index
   * {@code row * columns + column}; the cell keeps a reference {@code {"_ref", "_type"}}. The
   * index is unique because a row with more cells than columns is refused (its extra cells would
   * take the indexes of the next row's).
   */
  private TablePayload table(MediaIdentity id, long timestamp, JsonNode spec, Map<String, Part> parts,
      List<LoggedItem> cells) {
    List<String> columns = new ArrayList<>();
    if (spec.hasNonNull("columns")) {
      spec.get("columns").forEach(c -> columns.add(c.asText()));
    } else {
      columns.addAll(List.of("Input", "Output", "Expected"));
    }
    JsonNode data = spec.get("data");
    if (data == null || !data.isArray()) {
      throw new LogCallException("table needs \"data\": a list of rows");
    }
    ArrayNode rows = JSON.createArrayNode();
    for (int r = 0; r < data.size(); r++) {
      JsonNode row = data.get(r);
      if (!row.isArray()) {
        throw new LogCallException("table row " + r + " is not a list");
      }
      if (row.size() > columns.size()) {
        throw new LogCallException("table row " + r + " has " + row.size() + " cells but the table has "
            + columns.size() + " columns: " + columns);
      }
      ArrayNode out = rows.addArray();
      for (int c = 0; c < row.size(); c++) {
        JsonNode cell = row.get(c);
        if (cell.isObject() && cell.has("_type")) {
          MediaIdentity cellId = new MediaIdentity(id.getProject(), id.getRun(), ItemIdentity.tableCellsKey(id.getKey()),
              id.getStep(), cellIndex(r, c, columns.size()));
          Object payload = MediaPayloads.of(cell.get("_type").asText(), new ItemSpec(cell, parts));
          cells.add(LoggedItem.accepted(cellId, cell, event(cellId, timestamp, payload)));
          out.addObject().put("_ref", ItemKeys.of(cellId)).put("_type", cell.get("_type").asText());
        } else {
          out.add(cell);
        }
      }
    }
    return new TablePayload(columns, rows.toString());
  }

  /** {@code row * columns + column}, refused when it does not fit an index (no silent wrap-around). */
  private static int cellIndex(int row, int column, int columns) {
    long index = (long) row * Math.max(columns, 1) + column;
    if (index > Integer.MAX_VALUE) {
      throw new LogCallException("table cell (" + row + ", " + column + ") has index " + index
          + ", above " + Integer.MAX_VALUE);
    }
    return (int) index;
  }

  private static JsonNode readJson(String logJson) {
    try {
      JsonNode root = JSON.readTree(logJson);
      if (root == null || !root.isObject()) {
        throw new LogCallException("the \"log\" part must be a JSON object");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new LogCallException("the \"log\" part is not valid JSON: " + e.getOriginalMessage());
    }
  }

  /** One part of the request: its form name, the file name the client gave (or the form name), the bytes. */
  public record Part(String name, String fileName, byte[] data) {}
}
