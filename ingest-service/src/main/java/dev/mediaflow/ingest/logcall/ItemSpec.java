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

  /**
   * Small arrays sent inline as JSON lists become float64 arrays (numpy's default for Python
   * floats). The shape is taken from the first elements, then checked against the element
   * budget and walked for rectangularity before anything is allocated, so a short but lying
   * request cannot make the gateway allocate for elements it did not send.
   */
  static final class InlineArrays {
    /** Largest inline array, in elements (8 MB as float64); larger arrays are sent as .npy parts. */
    static final long MAX_ELEMENTS = 1_000_000;
    /** numpy's NPY_MAXDIMS. */
    static final int MAX_DIMENSIONS = 64;

    private InlineArrays() {}

    static NdArray toFloat64(JsonNode list, String field) {
      List<Long> shape = probeShape(list, field);
      long count = budgetedCount(shape, field);
      checkRectangular(list, 0, shape, field);
      ByteBuffer data = ByteBuffer.allocate((int) count * 8).order(ByteOrder.LITTLE_ENDIAN);
      flatten(list, shape.size(), data);
      return new NdArray("float64", shape, ByteBuffer.wrap(data.array()));
    }

    /** The sizes along the first element of each level: the shape, if the list is rectangular. */
    private static List<Long> probeShape(JsonNode list, String field) {
      List<Long> shape = new ArrayList<>();
      for (JsonNode probe = list; probe != null && probe.isArray(); probe = probe.size() > 0 ? probe.get(0) : null) {
        if (shape.size() == MAX_DIMENSIONS) {
          throw new LogCallException("\"" + field + "\" is nested more than " + MAX_DIMENSIONS + " levels deep");
        }
        shape.add((long) probe.size());
      }
      return shape;
    }

    private static long budgetedCount(List<Long> shape, String field) {
      long count = 1;
      for (long dim : shape) {
        // count is at most the budget and dim a list size (an int): the product fits a long
        count = dim == 0 ? 0 : count * dim;
        if (count > MAX_ELEMENTS) {
          throw new LogCallException("\"" + field + "\" is an inline array of shape " + shape + ", more than the "
              + MAX_ELEMENTS + " elements allowed inline; send larger arrays as .npy parts");
        }
      }
      return count;
    }

    private static void checkRectangular(JsonNode node, int depth, List<Long> shape, String field) {
      if (depth == shape.size()) {
        if (!node.isNumber()) {
          throw new LogCallException("\"" + field + "\" holds a non-number: " + abbreviate(node.toString()));
        }
        return;
      }
      if (!node.isArray() || node.size() != shape.get(depth)) {
        throw new LogCallException("\"" + field + "\" is a ragged list (not a rectangular array): expected "
            + shape.get(depth) + " elements at depth " + depth + " as the first element of the list has");
      }
      for (JsonNode child : node) {
        checkRectangular(child, depth + 1, shape, field);
      }
    }

    private static void flatten(JsonNode node, int depthsLeft, ByteBuffer out) {
      if (depthsLeft == 0) {
        out.putDouble(node.asDouble());
        return;
      }
      for (JsonNode child : node) {
        flatten(child, depthsLeft - 1, out);
      }
    }

    private static String abbreviate(String text) {
      return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
  }
}
