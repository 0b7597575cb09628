package dev.mediaflow.ingest.logcall;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediaflow.ingest.npy.NpyFormatException;
import dev.mediaflow.ingest.npy.NpyReader;
import dev.mediaflow.schemas.avro.ClassLabel;
import dev.mediaflow.schemas.avro.EncodedFile;
import dev.mediaflow.schemas.avro.ImagePayload;
import dev.mediaflow.schemas.avro.MediaEvent;
import dev.mediaflow.schemas.avro.MediaIdentity;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns one W&amp;B-shaped log call into media events:
 * {@code {"step": 3, "data": {"examples": [{"_type": "image", "array": "a0", ...}]}}}, where
 * {@code "array"}/{@code "tensor"}/{@code "file"} name other parts of the request. A value
 * may be one item or a list; non-media values (numbers, strings) are not media and are
 * skipped. Structural problems of one item reject that item only; the media rules
 * themselves (shapes, file types, decoding) are applied by the transform.
 */
public final class LogCallParser {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String producerId;

  public LogCallParser(String producerId) {
    this.producerId = producerId;
  }

  /** Parses the JSON of a log call; {@code parts} holds the other request parts by name. */
  public List<LoggedItem> parse(String project, String run, String logJson, Map<String, Part> parts) {
    JsonNode root = readJson(logJson);
    JsonNode stepNode = root.get("step");
    if (stepNode == null || !stepNode.canConvertToLong() || !stepNode.isIntegralNumber() || stepNode.asLong() < 0) {
      throw new LogCallException("log call needs \"step\": a non-negative integer");
    }
    JsonNode data = root.get("data");
    if (data == null || !data.isObject()) {
      throw new LogCallException("log call needs \"data\": an object of key → media item(s)");
    }
    long step = stepNode.asLong();
    long timestamp = root.path("timestamp").canConvertToLong() ? root.get("timestamp").asLong() : Instant.now().toEpochMilli();
    List<LoggedItem> items = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      JsonNode value = entry.getValue();
      List<JsonNode> specs = new ArrayList<>();
      if (value.isArray()) {
        value.forEach(specs::add);
      } else if (value.isObject()) {
        specs.add(value);
      } else {
        continue; // a scalar: not media
      }
      for (int index = 0; index < specs.size(); index++) {
        MediaIdentity id = new MediaIdentity(project, run, entry.getKey(), step, index);
        items.add(parseItem(id, timestamp, specs.get(index), parts));
      }
    }
    return items;
  }

  private LoggedItem parseItem(MediaIdentity id, long timestamp, JsonNode spec, Map<String, Part> parts) {
    if (!spec.isObject()) {
      return LoggedItem.rejected(id, spec, "item must be an object with \"_type\"");
    }
    String type = spec.path("_type").asText("");
    try {
      Object payload = switch (type) {
        case "image" -> image(spec, parts);
        case "" -> throw new LogCallException("item has no \"_type\"");
        default -> throw new LogCallException("unsupported media type \"" + type + "\"");
      };
      MediaEvent event = MediaEvent.newBuilder()
          .setIdentity(id)
          .setTimestamp(Instant.ofEpochMilli(timestamp))
          .setProducerId(producerId)
          .setPayload(payload)
          .build();
      return LoggedItem.accepted(id, spec, event);
    } catch (LogCallException | NpyFormatException e) {
      return LoggedItem.rejected(id, spec, e.getMessage());
    }
  }

  private static ImagePayload image(JsonNode spec, Map<String, Part> parts) {
    ImagePayload.Builder image = ImagePayload.newBuilder();
    int sources = 0;
    if (spec.hasNonNull("array")) {
      image.setArray(NpyReader.read(part(spec, "array", parts).data()));
      sources++;
    }
    if (spec.hasNonNull("tensor")) {
      image.setArray(NpyReader.read(part(spec, "tensor", parts).data())).setLayout("CHW");
      sources++;
    }
    if (spec.hasNonNull("file")) {
      Part file = part(spec, "file", parts);
      image.setFile(new EncodedFile(file.fileName(), ByteBuffer.wrap(file.data())));
      sources++;
    }
    if (sources != 1) {
      throw new LogCallException("image needs exactly one of \"array\", \"tensor\" or \"file\"");
    }
    image.setMode(text(spec, "mode"));
    image.setFileType(text(spec, "file_type"));
    image.setCaption(text(spec, "caption"));
    if (spec.has("normalize")) {
      if (!spec.get("normalize").isBoolean()) {
        throw new LogCallException("\"normalize\" must be true or false");
      }
      image.setNormalize(spec.get("normalize").asBoolean());
    }
    if (spec.hasNonNull("grouping")) {
      if (!spec.get("grouping").isInt()) {
        throw new LogCallException("\"grouping\" must be an integer");
      }
      image.setGrouping(spec.get("grouping").asInt());
    }
    image.setClasses(classes(spec.get("classes")));
    return image.build();
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

  private static Part part(JsonNode spec, String field, Map<String, Part> parts) {
    String name = spec.get(field).asText();
    Part part = parts.get(name);
    if (part == null) {
      throw new LogCallException("\"" + field + "\" names part \"" + name + "\", which the request does not contain");
    }
    return part;
  }

  private static String text(JsonNode spec, String field) {
    JsonNode node = spec.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new LogCallException("\"" + field + "\" must be a string");
    }
    return node.asText();
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
