package dev.mediaflow.transform.pointcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test-only access to fixtures/pointcloud (made by tools/fixtures/make_pointcloud_fixtures.py)
 * with a minimal {@code .npy} reader: format 1.0, C order, little-endian or byte-order-free
 * descriptors of the dtypes point clouds accept. Not a production parser.
 */
final class PointCloudFixtures {
  static final String DIR = "/fixtures/pointcloud/";
  static final ObjectMapper JSON = new ObjectMapper();

  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private PointCloudFixtures() {}

  /** A parsed .npy: numpy dtype name, shape and the raw little-endian element bytes. */
  record Npy(String dtype, long[] shape, byte[] data) {
    PointCloud toPointCloud() {
      return PointCloud.fromArray(dtype, shape, ByteBuffer.wrap(data));
    }

    /** The elements of a float64 array. */
    double[] doubles() {
      if (!dtype.equals("float64")) {
        throw new IllegalStateException("not float64: " + dtype);
      }
      double[] v = new double[data.length / 8];
      ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(v);
      return v;
    }
  }

  static byte[] bytes(String name) {
    try (InputStream in = PointCloudFixtures.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + DIR + name
            + "; run /usr/bin/python3 tools/fixtures/make_pointcloud_fixtures.py");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String name) {
    try {
      return JSON.readTree(bytes(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Npy npy(String name) {
    byte[] file = bytes(name);
    if (file.length < 10 || file[0] != (byte) 0x93 || file[1] != 'N' || file[6] != 1) {
      throw new IllegalArgumentException(name + " is not an .npy version 1 file");
    }
    int headerLength = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xFFFF;
    String header = new String(file, 10, headerLength, StandardCharsets.ISO_8859_1);
    if (group(FORTRAN, header).equals("True")) {
      throw new IllegalArgumentException(name + " is in Fortran order");
    }
    String dtype = switch (group(DESCR, header)) {
      case "|u1", "<u1" -> "uint8";
      case "|i1", "<i1" -> "int8";
      case "<u2" -> "uint16";
      case "<i2" -> "int16";
      case "<i4" -> "int32";
      case "<i8" -> "int64";
      case "<f4" -> "float32";
      case "<f8" -> "float64";
      default -> throw new IllegalArgumentException(name + ": unsupported descr " + header);
    };
    long[] shape = Arrays.stream(group(SHAPE, header).split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
    return new Npy(dtype, shape, Arrays.copyOfRange(file, 10 + headerLength, file.length));
  }

  private static String group(Pattern p, String header) {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new IllegalArgumentException("bad .npy header: " + header);
    }
    return m.group(1);
  }

  /** A float64 n×c array as numpy would send it. */
  static PointCloud cloud(int columns, double... rowMajor) {
    ByteBuffer b = ByteBuffer.allocate(rowMajor.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asDoubleBuffer().put(rowMajor);
    return PointCloud.fromArray("float64", new long[] {rowMajor.length / columns, columns}, b);
  }

  /**
   * An n×c cloud whose x is the point's index (exact in float32 below 2^24), y = -x, z = 0.25
   * and, for n×6, colours derived from the index: lets tests check which points were kept.
   */
  static PointCloud indexed(int n, PointCloud.Layout layout) {
    int cols = layout.columns();
    double[] v = new double[n * cols];
    for (int i = 0, o = 0; i < n; i++, o += cols) {
      v[o] = i;
      v[o + 1] = -i;
      v[o + 2] = 0.25;
      if (cols == 4) {
        v[o + 3] = 1 + i % 14;
      } else if (cols == 6) {
        v[o + 3] = i & 0xFF;
        v[o + 4] = (i >> 8) & 0xFF;
        v[o + 5] = (i >> 16) & 0xFF;
      }
    }
    return PointCloud.of(layout, v);
  }
}
