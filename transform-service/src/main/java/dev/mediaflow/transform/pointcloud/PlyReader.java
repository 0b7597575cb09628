package dev.mediaflow.transform.pointcloud;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads binary little-endian PLY point clouds: what {@link PlyWriter} writes, and the same
 * kind of file from other tools (numpy, Open3D, CloudCompare).
 *
 * <p>The {@code vertex} element must come first and have scalar properties only; any scalar
 * type is accepted ({@code char/uchar/short/ushort/int/uint/float/double} and their
 * {@code int8..float64} aliases). {@code x y z} are required; {@code red green blue} (all
 * three) make an n×6 cloud, else {@code category} makes an n×4 one; other properties
 * (normals, intensity, ...) and later elements (faces) are skipped. ASCII and big-endian PLY
 * are rejected. The cloud is validated like any other.
 */
public final class PlyReader {
  private static final int MAX_HEADER = 64 * 1024;

  private PlyReader() {}

  /** A vertex property: its name, where it sits in a record and how to read it. */
  private record Property(String name, ScalarType type, int offset) {}

  /** What the header says. */
  private record Header(List<String> comments, int count, List<Property> properties,
      int stride, int dataStart) {
    Property find(String name) {
      for (Property p : properties) {
        if (p.name.equals(name)) {
          return p;
        }
      }
      return null;
    }
  }

  private enum ScalarType {
    INT8(1), UINT8(1), INT16(2), UINT16(2), INT32(4), UINT32(4), FLOAT32(4), FLOAT64(8);

    final int size;

    ScalarType(int size) {
      this.size = size;
    }

    static ScalarType of(String name) {
      return switch (name) {
        case "char", "int8" -> INT8;
        case "uchar", "uint8" -> UINT8;
        case "short", "int16" -> INT16;
        case "ushort", "uint16" -> UINT16;
        case "int", "int32" -> INT32;
        case "uint", "uint32" -> UINT32;
        case "float", "float32" -> FLOAT32;
        case "double", "float64" -> FLOAT64;
        default -> throw new PointCloudRejectedException(
            "unknown PLY property type '" + name + "'");
      };
    }

    double read(ByteBuffer b, int at) {
      return switch (this) {
        case INT8 -> b.get(at);
        case UINT8 -> b.get(at) & 0xFF;
        case INT16 -> b.getShort(at);
        case UINT16 -> b.getShort(at) & 0xFFFF;
        case INT32 -> b.getInt(at);
        case UINT32 -> b.getInt(at) & 0xFFFF_FFFFL;
        case FLOAT32 -> b.getFloat(at);
        case FLOAT64 -> b.getDouble(at);
      };
    }
  }

  /**
   * The cloud in a PLY file.
   *
   * @throws PointCloudRejectedException if the file is not a binary little-endian PLY point
   *     cloud as described above, is cut short, or holds a value breaking the rules
   */
  public static PointCloud read(byte[] ply) {
    Header h = header(ply);
    Property x = required(h, "x");
    Property y = required(h, "y");
    Property z = required(h, "z");
    Property red = h.find("red");
    Property green = h.find("green");
    Property blue = h.find("blue");
    Property category = h.find("category");
    List<Property> columns = new ArrayList<>(List.of(x, y, z));
    PointCloud.Layout layout;
    if (red != null || green != null || blue != null) {
      if (red == null || green == null || blue == null) {
        throw new PointCloudRejectedException("PLY has only some of red, green, blue");
      }
      columns.addAll(List.of(red, green, blue));
      layout = PointCloud.Layout.XYZ_RGB;
    } else if (category != null) {
      columns.add(category);
      layout = PointCloud.Layout.XYZ_CATEGORY;
    } else {
      layout = PointCloud.Layout.XYZ;
    }
    return PointCloud.validated(layout, values(ply, h, columns), h.count);
  }

  /** The header's comment lines, without the {@code comment } keyword. */
  public static List<String> comments(byte[] ply) {
    return header(ply).comments;
  }

  private static double[] values(byte[] ply, Header h, List<Property> columns) {
    ByteBuffer b = ByteBuffer.wrap(ply).order(ByteOrder.LITTLE_ENDIAN);
    int cols = columns.size();
    ScalarType[] types = new ScalarType[cols];
    int[] offsets = new int[cols];
    for (int j = 0; j < cols; j++) {
      types[j] = columns.get(j).type;
      offsets[j] = columns.get(j).offset;
    }
    double[] v = new double[h.count * cols];
    int record = h.dataStart;
    for (int i = 0, o = 0; i < h.count; i++, o += cols, record += h.stride) {
      for (int j = 0; j < cols; j++) {
        v[o + j] = types[j].read(b, record + offsets[j]);
      }
    }
    return v;
  }

  private static Property required(Header h, String name) {
    Property p = h.find(name);
    if (p == null) {
      throw new PointCloudRejectedException("PLY vertex has no '" + name + "' property");
    }
    return p;
  }

  private static Header header(byte[] ply) {
    Objects.requireNonNull(ply, "ply");
    List<String> comments = new ArrayList<>();
    List<Property> properties = new ArrayList<>();
    int count = -1;
    int stride = 0;
    boolean inVertex = false;
    boolean sawElement = false;
    int pos = 0;
    int lineNo = 0;
    while (true) {
      int end = pos;
      while (end < ply.length && end < MAX_HEADER && ply[end] != '\n') {
        end++;
      }
      if (end >= ply.length || end >= MAX_HEADER) {
        throw new PointCloudRejectedException("PLY header has no end_header line");
      }
      String line = new String(ply, pos, end - pos, StandardCharsets.US_ASCII).strip();
      pos = end + 1;
      if (lineNo++ == 0) {
        if (!line.equals("ply")) {
          throw new PointCloudRejectedException("not a PLY file (no 'ply' magic line)");
        }
        continue;
      }
      String[] w = line.split("\\s+");
      switch (w[0]) {
        case "format" -> {
          if (w.length < 2 || !w[1].equals("binary_little_endian")) {
            throw new PointCloudRejectedException("unsupported PLY format '" + line
                + "' (only binary_little_endian)");
          }
        }
        case "comment" -> comments.add(line.length() > 8 ? line.substring(8) : "");
        case "obj_info", "" -> { }
        case "element" -> {
          if (w.length != 3) {
            throw new PointCloudRejectedException("bad PLY element line '" + line + "'");
          }
          if (!sawElement) {
            if (!w[1].equals("vertex")) {
              throw new PointCloudRejectedException(
                  "PLY's first element must be 'vertex', got '" + w[1] + "'");
            }
            count = parseCount(w[2]);
          }
          inVertex = !sawElement;
          sawElement = true;
        }
        case "property" -> {
          if (inVertex) {
            if (w.length != 3) {
              throw new PointCloudRejectedException(
                  "PLY vertex property must be a scalar: '" + line + "'");
            }
            ScalarType type = ScalarType.of(w[1]);
            properties.add(new Property(w[2], type, stride));
            stride += type.size;
          }
        }
        case "end_header" -> {
          if (count < 0) {
            throw new PointCloudRejectedException("PLY has no vertex element");
          }
          long needed = (long) count * stride;
          if (ply.length - pos < needed) {
            throw new PointCloudRejectedException("PLY data is cut short: " + count
                + " vertices of " + stride + " bytes need " + needed + ", file has "
                + (ply.length - pos));
          }
          return new Header(List.copyOf(comments), count, List.copyOf(properties), stride, pos);
        }
        default -> throw new PointCloudRejectedException(
            "unexpected PLY header line '" + line + "'");
      }
    }
  }

  private static int parseCount(String s) {
    long n;
    try {
      n = Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new PointCloudRejectedException("bad PLY vertex count '" + s + "'");
    }
    if (n < 0 || n > PointCloud.MAX_POINTS) {
      throw new PointCloudRejectedException("PLY vertex count " + n + " is out of range");
    }
    return (int) n;
  }
}
