package dev.mediaflow.transform.pointcloud;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Reads wandb's {@code pts.json} in either form: a bare list of points
 * {@code [[x, y, z], ...]}, or a scene object
 * {@code {"type": "lidar/beta", "points": [...], "boxes": [...], "vectors": [...]}}.
 *
 * <p>The document is streamed token by token (a JsonNode is walked the same way), so a 50 MB
 * file becomes one {@code double[]} instead of millions of tree nodes. Keys may come in any
 * order; unknown keys are skipped (and not kept). In the object form {@code type} and
 * {@code points} are required, {@code boxes} and {@code vectors} may be absent or null
 * (no boxes, no vectors). An empty points list is an empty n×3 cloud.
 *
 * <p>Every rejection names where the problem is: {@code "point 7 has 4 values but point 0
 * has 3"}, {@code "box 2: corners must be exactly 8 points [x, y, z], got 7 points"},
 * {@code "vector 0: start must be [x, y, z], got 2 values"}.
 */
public final class PtsJsonReader {
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER) // exact, and ~3x faster on big clouds
      .build();

  private PtsJsonReader() {}

  /**
   * Parses pts.json bytes (UTF-8).
   *
   * @throws PointCloudRejectedException if the bytes are not JSON or break an Object3D rule
   */
  public static PointCloudScene read(byte[] json) {
    Objects.requireNonNull(json, "json");
    try (JsonParser p = JSON.createParser(json)) {
      PointCloudScene scene = readRoot(p);
      if (p.nextToken() != null) {
        throw new PointCloudRejectedException("pts.json has content after its top-level value");
      }
      return scene;
    } catch (JsonProcessingException e) {
      throw new PointCloudRejectedException(
          "pts.json is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads an already parsed document.
   *
   * @throws PointCloudRejectedException if it breaks an Object3D rule
   */
  public static PointCloudScene read(JsonNode json) {
    Objects.requireNonNull(json, "json");
    try (JsonParser p = json.traverse()) {
      return readRoot(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // walking a tree does no I/O
    }
  }

  private static PointCloudScene readRoot(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t == JsonToken.START_ARRAY) {
      return PointCloudScene.of(readPoints(p));
    }
    if (t != JsonToken.START_OBJECT) {
      throw new PointCloudRejectedException(
          "pts.json must be a list of points or an object with type, points, boxes and vectors");
    }
    String type = null;
    PointCloud points = null;
    List<PointCloudScene.Box> boxes = List.of();
    List<PointCloudScene.Vector> vectors = List.of();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      t = p.nextToken();
      switch (name) {
        case "type" -> {
          if (t != JsonToken.VALUE_STRING) {
            throw new PointCloudRejectedException("scene type must be the string '"
                + PointCloudScene.LIDAR_BETA + "', got " + describe(t));
          }
          type = p.getText();
        }
        case "points" -> {
          if (t != JsonToken.START_ARRAY) {
            throw new PointCloudRejectedException(
                "points must be a list of points, got " + describe(t));
          }
          points = readPoints(p);
        }
        case "boxes" -> boxes = t == JsonToken.VALUE_NULL ? List.of() : readBoxes(p, t);
        case "vectors" -> vectors = t == JsonToken.VALUE_NULL ? List.of() : readVectors(p, t);
        default -> p.skipChildren();
      }
    }
    if (points == null) {
      throw new PointCloudRejectedException("scene has no points");
    }
    return new PointCloudScene(type, points, boxes, vectors);
  }

  /** Reads the rows of a points list; the parser is on its START_ARRAY. */
  private static PointCloud readPoints(JsonParser p) throws IOException {
    double[] v = new double[6 * 1024];
    int n = 0;
    int cols = -1;
    int count = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.START_ARRAY) {
        throw new PointCloudRejectedException("point " + count + " must be a list of numbers, got "
            + describe(t));
      }
      if (v.length - n < 6) {
        v = Arrays.copyOf(v, grow(v.length));
      }
      int start = n;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
          throw new PointCloudRejectedException("point " + count + ", value " + (n - start)
              + " is not a number but " + describe(t));
        }
        if (n - start == 6) {
          throw new PointCloudRejectedException("point cloud must be n×3, n×4 or n×6, got point "
              + count + " with more than 6 values");
        }
        v[n++] = p.getDoubleValue();
      }
      int len = n - start;
      if (cols < 0) {
        if (len != 3 && len != 4 && len != 6) {
          throw new PointCloudRejectedException("point cloud must be n×3, n×4 or n×6, got point "
              + count + " with " + len + " values");
        }
        cols = len;
      } else if (len != cols) {
        throw new PointCloudRejectedException("point " + count + " has " + len
            + " values but point 0 has " + cols + "; all points need the same columns");
      }
      count++;
      if (count > PointCloud.MAX_POINTS) {
        throw new PointCloudRejectedException("point cloud has more than " + PointCloud.MAX_POINTS
            + " points, the most this pipeline holds");
      }
    }
    if (cols < 0) {
      cols = 3;
    }
    // give back a large over-allocation; a small one is cheaper to keep than to copy
    double[] values = v.length - n > n / 4 + 1024 ? Arrays.copyOf(v, n) : v;
    return PointCloud.validated(PointCloud.Layout.ofColumns(cols), values, count);
  }

  private static int grow(int length) {
    long next = (long) length + (length >> 1);
    if (next > Integer.MAX_VALUE - 8) {
      throw new PointCloudRejectedException("point cloud is too large for this pipeline");
    }
    return (int) next;
  }

  private static List<PointCloudScene.Box> readBoxes(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      throw new PointCloudRejectedException("boxes must be a list, got " + describe(t));
    }
    List<PointCloudScene.Box> boxes = new ArrayList<>();
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      try {
        boxes.add(readBox(p, t));
      } catch (PointCloudRejectedException e) {
        throw new PointCloudRejectedException("box " + boxes.size() + ": " + e.reason(), e);
      }
    }
    return boxes;
  }

  private static PointCloudScene.Box readBox(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      throw new PointCloudRejectedException("must be an object with corners and color, got "
          + describe(t));
    }
    double[] corners = null;
    double[] color = null;
    Optional<String> label = Optional.empty();
    OptionalDouble score = OptionalDouble.empty();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      t = p.nextToken();
      switch (name) {
        case "corners" -> corners = readCorners(p, t);
        case "color" -> color = readNumbers(p, t, "color");
        case "label" -> {
          if (t == JsonToken.VALUE_STRING) {
            label = Optional.of(p.getText());
          } else if (t != JsonToken.VALUE_NULL) {
            throw new PointCloudRejectedException("label must be a string, got " + describe(t));
          }
        }
        case "score" -> {
          if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
            score = OptionalDouble.of(p.getDoubleValue());
          } else if (t != JsonToken.VALUE_NULL) {
            throw new PointCloudRejectedException("score must be a number, got " + describe(t));
          }
        }
        default -> p.skipChildren();
      }
    }
    if (corners == null) {
      throw new PointCloudRejectedException("corners missing");
    }
    if (color == null) {
      throw new PointCloudRejectedException("color missing");
    }
    return new PointCloudScene.Box(corners, color, label, score);
  }

  /** Reads a list of [x, y, z] corners (flat); the box constructor checks that there are 8. */
  private static double[] readCorners(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      throw new PointCloudRejectedException("corners must be a list of 8 points [x, y, z], got "
          + describe(t));
    }
    double[] flat = new double[3 * PointCloudScene.Box.CORNERS];
    int corners = 0;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      double[] corner = readNumbers(p, t, "corner " + corners);
      if (corner.length != 3) {
        throw new PointCloudRejectedException("corner " + corners + " must be [x, y, z], got "
            + corner.length + " values");
      }
      if (corners < PointCloudScene.Box.CORNERS) {
        System.arraycopy(corner, 0, flat, 3 * corners, 3);
      }
      corners++;
    }
    return corners == PointCloudScene.Box.CORNERS ? flat : new double[3 * corners];
  }

  private static List<PointCloudScene.Vector> readVectors(JsonParser p, JsonToken t)
      throws IOException {
    if (t != JsonToken.START_ARRAY) {
      throw new PointCloudRejectedException("vectors must be a list, got " + describe(t));
    }
    List<PointCloudScene.Vector> vectors = new ArrayList<>();
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      try {
        vectors.add(readVector(p, t));
      } catch (PointCloudRejectedException e) {
        throw new PointCloudRejectedException("vector " + vectors.size() + ": " + e.reason(), e);
      }
    }
    return vectors;
  }

  private static PointCloudScene.Vector readVector(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      throw new PointCloudRejectedException("must be an object with start and end, got "
          + describe(t));
    }
    double[] start = null;
    double[] end = null;
    Optional<double[]> color = Optional.empty();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      t = p.nextToken();
      switch (name) {
        case "start" -> start = readNumbers(p, t, "start");
        case "end" -> end = readNumbers(p, t, "end");
        case "color" -> color = t == JsonToken.VALUE_NULL
            ? Optional.empty() : Optional.of(readNumbers(p, t, "color"));
        default -> p.skipChildren();
      }
    }
    if (start == null) {
      throw new PointCloudRejectedException("start missing");
    }
    if (end == null) {
      throw new PointCloudRejectedException("end missing");
    }
    return new PointCloudScene.Vector(start, end, color);
  }

  /** A short list of numbers ([x, y, z] or [r, g, b]); at most 16 are read. */
  private static double[] readNumbers(JsonParser p, JsonToken t, String what) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      throw new PointCloudRejectedException(
          what + " must be a list of numbers, got " + describe(t));
    }
    double[] v = new double[3];
    int n = 0;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
        throw new PointCloudRejectedException(what + " must be a list of numbers, got "
            + describe(t) + " at index " + n);
      }
      if (n == 16) {
        throw new PointCloudRejectedException(what + " has more than 16 values");
      }
      if (n == v.length) {
        v = Arrays.copyOf(v, 16);
      }
      v[n++] = p.getDoubleValue();
    }
    return n == v.length ? v : Arrays.copyOf(v, n);
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "nothing";
    }
    return switch (t) {
      case START_ARRAY -> "a list";
      case START_OBJECT -> "an object";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.toString();
    };
  }
}
