package dev.mediaflow.transform.pointcloud;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes a cloud as binary little-endian PLY: a short ASCII header, then one fixed-size
 * record per point. Open3D ({@code read_point_cloud}), CloudCompare and three.js's
 * {@code PLYLoader} read it, and so does {@link PlyReader}.
 *
 * <pre>
 * ply
 * format binary_little_endian 1.0
 * comment mediaflow ...          (optional lines, e.g. the truncation record)
 * element vertex N
 * property float x               ("double" instead, see below)
 * property float y
 * property float z
 * property uchar red             (n×6 only)
 * property uchar green
 * property uchar blue
 * property uchar category        (n×4 only)
 * end_header
 * </pre>
 *
 * <p>Coordinates: {@link CoordinateType#AUTO} (the default) writes float32, the type Open3D,
 * CloudCompare and three.js use in memory, when every coordinate is exactly a float32 (always
 * so for float32 input), and float64 otherwise, so the file never changes a coordinate; all
 * three readers accept {@code double} properties. {@link CoordinateType#FLOAT32} forces the
 * smaller file for display-only copies (rounding to nearest float).
 *
 * <p>Colours are {@code uchar red/green/blue}, the names and type every reader maps to colour;
 * fractional colours round to the nearest integer (half up), at most 0.5/255 off. Categories
 * (1..14) are a {@code uchar category} property: CloudCompare shows it as a scalar field,
 * Open3D and three.js ignore properties they do not know (three.js can map it with
 * {@code setCustomPropertyNameMapping}), and {@link PlyReader} reads it back.
 *
 * <p>The whole file is one preallocated byte array filled with little-endian VarHandle
 * stores, one loop per layout; no object is made per point.
 */
public final class PlyWriter {
  private static final VarHandle FLOAT =
      MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle DOUBLE =
      MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

  /** How coordinates are stored. */
  public enum CoordinateType {
    /** float32 if that is lossless for every coordinate, else float64. */
    AUTO,
    /** Always float32 (nearest float; smaller file, may move points slightly). */
    FLOAT32,
    /** Always float64. */
    FLOAT64
  }

  private PlyWriter() {}

  /** The cloud as PLY, coordinates chosen by {@link CoordinateType#AUTO}. */
  public static byte[] write(PointCloud cloud) {
    return write(cloud, CoordinateType.AUTO, List.of());
  }

  /**
   * The kept points as PLY, with header comments recording the cut:
   * {@code comment mediaflow original_count 1000000},
   * {@code comment mediaflow truncated true strategy HEAD}.
   */
  public static byte[] write(TruncatedPointCloud result) {
    List<String> comments = new ArrayList<>();
    comments.add("mediaflow original_count " + result.originalCount());
    comments.add("mediaflow truncated " + result.truncated() + " strategy " + result.strategy());
    return write(result.cloud(), CoordinateType.AUTO, comments);
  }

  /**
   * The cloud as PLY.
   *
   * @param comments header comment lines (without the {@code comment } keyword); printable
   *     ASCII only
   * @throws IllegalArgumentException if a comment holds a line break or non-ASCII text
   */
  public static byte[] write(PointCloud cloud, CoordinateType coordinates, List<String> comments) {
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(coordinates, "coordinates");
    // AUTO tries float32 and checks as it goes: one pass for float32 data; float64 data
    // almost always fails on its first point, so that is looked at before allocating
    double[] v = cloud.values;
    boolean tryFloats = coordinates == CoordinateType.FLOAT32
        || coordinates == CoordinateType.AUTO
        && (cloud.isEmpty()
            || (float) v[0] == v[0] && (float) v[1] == v[1] && (float) v[2] == v[2]);
    if (tryFloats) {
      byte[] out = allocate(cloud, false, comments);
      if (writeFloats(cloud, out, out.length - (int) bodySize(cloud, false),
          coordinates == CoordinateType.AUTO)) {
        return out;
      }
    }
    byte[] out = allocate(cloud, true, comments);
    writeDoubles(cloud, out, out.length - (int) bodySize(cloud, true));
    return out;
  }

  /** A byte array of the file's exact size, holding the header. */
  private static byte[] allocate(PointCloud cloud, boolean doubles, List<String> comments) {
    byte[] header = header(cloud, doubles, comments);
    long size = header.length + bodySize(cloud, doubles);
    if (size > Integer.MAX_VALUE - 8) {
      throw new PointCloudRejectedException(
          "PLY of " + cloud.count() + " points would be larger than 2 GB");
    }
    byte[] out = new byte[(int) size];
    System.arraycopy(header, 0, out, 0, header.length);
    return out;
  }

  private static long bodySize(PointCloud cloud, boolean doubles) {
    return (long) cloud.count() * ((doubles ? 24 : 12) + extraBytes(cloud));
  }

  /** Bytes after the coordinates: 3 colours, 1 category or none. */
  private static int extraBytes(PointCloud cloud) {
    return switch (cloud.layout()) {
      case XYZ -> 0;
      case XYZ_CATEGORY -> 1;
      case XYZ_RGB -> 3;
    };
  }

  private static byte[] header(PointCloud cloud, boolean doubles, List<String> comments) {
    String type = doubles ? "double" : "float";
    StringBuilder h = new StringBuilder(256)
        .append("ply\nformat binary_little_endian 1.0\n");
    for (String c : comments) {
      if (!c.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7F)) {
        throw new IllegalArgumentException("PLY comment must be printable ASCII on one line: " + c);
      }
      h.append("comment ").append(c).append('\n');
    }
    h.append("element vertex ").append(cloud.count()).append('\n')
        .append("property ").append(type).append(" x\n")
        .append("property ").append(type).append(" y\n")
        .append("property ").append(type).append(" z\n");
    switch (cloud.layout()) {
      case XYZ_RGB -> h.append("property uchar red\nproperty uchar green\nproperty uchar blue\n");
      case XYZ_CATEGORY -> h.append("property uchar category\n");
      case XYZ -> { }
    }
    return h.append("end_header\n").toString().getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Writes float32 records; with {@code exactOnly}, stops and returns false at the first
   * coordinate that float32 would change.
   */
  private static boolean writeFloats(PointCloud cloud, byte[] out, int p, boolean exactOnly) {
    double[] v = cloud.values;
    int n = cloud.count();
    int cols = cloud.columns();
    int record = 12 + extraBytes(cloud);
    for (int i = 0, o = 0; i < n; i++, o += cols, p += record) {
      float x = (float) v[o];
      float y = (float) v[o + 1];
      float z = (float) v[o + 2];
      if (exactOnly && (x != v[o] | y != v[o + 1] | z != v[o + 2])) {
        return false;
      }
      FLOAT.set(out, p, x);
      FLOAT.set(out, p + 4, y);
      FLOAT.set(out, p + 8, z);
      if (cols == 6) {
        out[p + 12] = colour(v[o + 3]);
        out[p + 13] = colour(v[o + 4]);
        out[p + 14] = colour(v[o + 5]);
      } else if (cols == 4) {
        out[p + 12] = (byte) (int) v[o + 3];
      }
    }
    return true;
  }

  private static void writeDoubles(PointCloud cloud, byte[] out, int p) {
    double[] v = cloud.values;
    int n = cloud.count();
    switch (cloud.layout()) {
      case XYZ -> {
        for (int i = 0, o = 0; i < n; i++, o += 3, p += 24) {
          DOUBLE.set(out, p, v[o]);
          DOUBLE.set(out, p + 8, v[o + 1]);
          DOUBLE.set(out, p + 16, v[o + 2]);
        }
      }
      case XYZ_CATEGORY -> {
        for (int i = 0, o = 0; i < n; i++, o += 4, p += 25) {
          DOUBLE.set(out, p, v[o]);
          DOUBLE.set(out, p + 8, v[o + 1]);
          DOUBLE.set(out, p + 16, v[o + 2]);
          out[p + 24] = (byte) (int) v[o + 3];
        }
      }
      case XYZ_RGB -> {
        for (int i = 0, o = 0; i < n; i++, o += 6, p += 27) {
          DOUBLE.set(out, p, v[o]);
          DOUBLE.set(out, p + 8, v[o + 1]);
          DOUBLE.set(out, p + 16, v[o + 2]);
          out[p + 24] = colour(v[o + 3]);
          out[p + 25] = colour(v[o + 4]);
          out[p + 26] = colour(v[o + 5]);
        }
      }
    }
  }

  /** A validated colour in [0, 255] to the nearest byte, halves up. */
  private static byte colour(double c) {
    return (byte) (int) (c + 0.5);
  }
}
