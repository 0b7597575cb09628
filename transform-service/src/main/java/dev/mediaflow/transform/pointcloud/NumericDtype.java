package dev.mediaflow.transform.pointcloud;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Locale;

/** Array element types a point cloud may arrive in, with numpy's names, and their decoding. */
enum NumericDtype {
  UINT8("uint8", 1),
  INT8("int8", 1),
  UINT16("uint16", 2),
  INT16("int16", 2),
  INT32("int32", 4),
  INT64("int64", 8),
  FLOAT32("float32", 4),
  FLOAT64("float64", 8);

  private final String numpyName;
  private final int byteWidth;

  NumericDtype(String numpyName, int byteWidth) {
    this.numpyName = numpyName;
    this.byteWidth = byteWidth;
  }

  String numpyName() {
    return numpyName;
  }

  int byteWidth() {
    return byteWidth;
  }

  /**
   * @throws PointCloudRejectedException for any other name
   */
  static NumericDtype fromNumpyName(String name) {
    if (name != null) {
      String n = name.trim().toLowerCase(Locale.ROOT);
      for (NumericDtype d : values()) {
        if (d.numpyName.equals(n)) {
          return d;
        }
      }
    }
    throw new PointCloudRejectedException("unsupported dtype '" + name
        + "' (supported: uint8, int8, uint16, int16, int32, int64, float32, float64)");
  }

  /**
   * The first {@code n} elements of {@code data} (little-endian, from its position) as
   * doubles. Every type converts exactly, except int64 magnitudes above 2^53, which round
   * to the nearest double as numpy's {@code astype(float64)} does.
   */
  double[] toDoubles(ByteBuffer data, int n) {
    ByteBuffer b = data.slice().order(ByteOrder.LITTLE_ENDIAN);
    double[] out = new double[n];
    switch (this) {
      case UINT8 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.get(i) & 0xFF;
        }
      }
      case INT8 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.get(i);
        }
      }
      case UINT16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.getShort(2 * i) & 0xFFFF;
        }
      }
      case INT16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.getShort(2 * i);
        }
      }
      case INT32 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.getInt(4 * i);
        }
      }
      case INT64 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.getLong(8 * i);
        }
      }
      case FLOAT32 -> widen(b.asFloatBuffer(), n, out);
      case FLOAT64 -> b.asDoubleBuffer().get(out);
      default -> throw new AssertionError(this);
    }
    return out;
  }

  /** float32 to double through bulk copies: no per-element buffer reads and range checks. */
  private static void widen(FloatBuffer in, int n, double[] out) {
    float[] chunk = new float[Math.max(1, Math.min(n, 4096))];
    for (int base = 0; base < n; base += chunk.length) {
      int len = Math.min(chunk.length, n - base);
      in.get(base, chunk, 0, len);
      for (int j = 0; j < len; j++) {
        out[base + j] = chunk[j];
      }
    }
  }
}
