package dev.mediaflow.ingest.logcall;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediaflow.ingest.logcall.LogCallParser.Part;
import dev.mediaflow.ingest.npy.NpyReader;
import dev.mediaflow.schemas.avro.EncodedFile;
import dev.mediaflow.schemas.avro.NdArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One media item's JSON plus the request parts it may name, with typed accessors that
 * fail with a {@link LogCallException} naming the field.
 */
final class ItemSpec {
  private final JsonNode json;
  private final Map<String, Part> parts;

  ItemSpec(JsonNode json, Map<String, Part> parts) {
    this.json = json;
    this.parts = parts;
  }

  JsonNode json() {
    return json;
  }

  Map<String, Part> parts() {
    return parts;
  }

  boolean has(String field) {
    return json.hasNonNull(field);
  }

  /** An array: a part holding a .npy file (the field is its name), or an inline JSON list of numbers. */
  NdArray array(String field) {
    JsonNode node = json.get(field);
    if (node.isTextual()) {
      return NpyReader.read(part(field).data());
    }
    if (node.isArray()) {
      return InlineArrays.toFloat64(node, field);
    }
    throw new LogCallException("\"" + field + "\" must name a .npy part or be a list of numbers");
  }

  EncodedFile file(String field) {
    Part part = part(field);
    return new EncodedFile(part.fileName(), ByteBuffer.wrap(part.data()));
  }

  Part part(String field) {
    String name = json.get(field).asText();
    Part part = parts.get(name);
    if (part == null) {
      throw new LogCallException("\"" + field + "\" names part \"" + name + "\", which the request does not contain");
    }
    return part;
  }

  String text(String field) {
    JsonNode node = json.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new LogCallException("\"" + field + "\" must be a string");
    }
    return node.asText();
  }

  Integer integer(String field) {
    JsonNode node = json.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isInt()) {
      throw new LogCallException("\"" + field + "\" must be an integer");
    }
    return node.asInt();
  }

  Boolean bool(String field) {
    JsonNode node = json.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isBoolean()) {
      throw new LogCallException("\"" + field + "\" must be true or false");
    }
    return node.asBoolean();
  }

  List<Double> numbers(JsonNode node, String what) {
    if (node == null || !node.isArray()) {
      throw new LogCallException(what + " must be a list of numbers");
    }
    List<Double> out = new ArrayList<>(node.size());
    for (JsonNode n : node) {
      if (!n.isNumber()) {
        throw new LogCallException(what + " must be a list of numbers, found " + n);
      }
      out.add(n.asDouble());
    }
    return out;
  }

  /** {@code {"1": "cat"}} style labels, ids kept as text (Avro map keys are strings). */
  Map<String, String> labels(JsonNode node, String what) {
    Map<String, String> out = new HashMap<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw new LogCallException(what + " must be an object of class id → name");
    }
    node.fields().forEachRemaining(e -> {
      try {
        Integer.parseInt(e.getKey());
      } catch (NumberFormatException ex) {
        throw new LogCallException(what + " key \"" + e.getKey() + "\" is not an integer class id");
      }
      out.put(e.getKey(), e.getValue().asText());
    });
    return out;
  }

  /** Small arrays sent inline as JSON lists become float64 arrays (numpy's default for Python floats). */
  static final class InlineArrays {
    private InlineArrays() {}

    static NdArray toFloat64(JsonNode list, String field) {
      List<Long> shape = new ArrayList<>();
      JsonNode probe = list;
      while (probe.isArray()) {
        shape.add((long) probe.size());
        probe = probe.size() > 0 ? probe.get(0) : null;
        if (probe == null) {
          break;
        }
      }
      long count = shape.stream().reduce(1L, Math::multiplyExact);
      ByteBuffer data = ByteBuffer.allocate((int) count * 8).order(ByteOrder.LITTLE_ENDIAN);
      flatten(list, 0, shape, data, field);
      return new NdArray("float64", shape, ByteBuffer.wrap(data.array()));
    }

    private static void flatten(JsonNode node, int depth, List<Long> shape, ByteBuffer out, String field) {
      if (depth == shape.size()) {
        if (!node.isNumber()) {
          throw new LogCallException("\"" + field + "\" holds a non-number: " + node);
        }
        out.putDouble(node.asDouble());
        return;
      }
      if (!node.isArray() || node.size() != shape.get(depth)) {
        throw new LogCallException("\"" + field + "\" is a ragged list (not a rectangular array)");
      }
      for (JsonNode child : node) {
        flatten(child, depth + 1, shape, out, field);
      }
    }
  }
}
