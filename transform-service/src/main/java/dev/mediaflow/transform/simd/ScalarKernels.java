package dev.mediaflow.transform.simd;

/**
 * The kernels in plain Java, one element at a time; the reference the vector kernels are
 * tested against, and their tails. Its element functions are the definitions of the rules.
 */
public final class ScalarKernels implements Kernels {

  static final ScalarKernels INSTANCE = new ScalarKernels();

  private static final int MIN_CATEGORY = 1;
  private static final int MAX_CATEGORY = 14;

  private ScalarKernels() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void keyRange(float[] a, int len, int[] acc) {
    int lo = acc[0];
    int hi = acc[1];
    for (int i = 0; i < len; i++) {
      int key = Kernels.sortKey32(Float.floatToRawIntBits(a[i]));
      lo = key < lo ? key : lo;
      hi = key > hi ? key : hi;
    }
    acc[0] = lo;
    acc[1] = hi;
  }

  @Override
  public void keyRange(double[] a, int len, long[] acc) {
    long lo = acc[0];
    long hi = acc[1];
    for (int i = 0; i < len; i++) {
      long key = Kernels.sortKey64(Double.doubleToRawLongBits(a[i]));
      lo = key < lo ? key : lo;
      hi = key > hi ? key : hi;
    }
    acc[0] = lo;
    acc[1] = hi;
  }

  @Override
  public void toUint8(float[] a, int len, ToUint8 op, byte[] out, int off) {
    toUint8(a, 0, len, op, out, off);
  }

  /** {@code out[off + i] = op(a[i])} for i in [from, len): also the vector kernels' tail. */
  static void toUint8(float[] a, int from, int len, ToUint8 op, byte[] out, int off) {
    // one loop per rule: the rule is never decided per element
    switch (op) {
      case UNIT -> {
        for (int i = from; i < len; i++) {
          out[off + i] = (byte) (int) (a[i] * 255f);
        }
      }
      case SIGNED_UNIT -> {
        // 255 * 0.5 * (data + 1): Python folds 255 * 0.5 = 127.5 first, then float32 ops
        for (int i = from; i < len; i++) {
          out[off + i] = (byte) (int) (127.5f * (a[i] + 1f));
        }
      }
      case CLIP -> {
        for (int i = from; i < len; i++) {
          out[off + i] = clip(a[i]);
        }
      }
      case CAST -> {
        for (int i = from; i < len; i++) {
          out[off + i] = cast(a[i]);
        }
      }
    }
  }

  @Override
  public void toUint8(double[] a, int len, ToUint8 op, byte[] out, int off) {
    toUint8(a, 0, len, op, out, off);
  }

  /** As the float32 one, in float64. */
  static void toUint8(double[] a, int from, int len, ToUint8 op, byte[] out, int off) {
    switch (op) {
      case UNIT -> {
        for (int i = from; i < len; i++) {
          out[off + i] = (byte) (int) (a[i] * 255d);
        }
      }
      case SIGNED_UNIT -> {
        for (int i = from; i < len; i++) {
          out[off + i] = (byte) (int) (127.5d * (a[i] + 1d));
        }
      }
      case CLIP -> {
        for (int i = from; i < len; i++) {
          out[off + i] = clip(a[i]);
        }
      }
      case CAST -> {
        for (int i = from; i < len; i++) {
          out[off + i] = cast(a[i]);
        }
      }
    }
  }

  /** clip(0, 255) then astype(uint8); NaN stays NaN in numpy's clip and casts to 0 (x86_64). */
  public static byte clip(float x) {
    return x > 0f ? (x < 255f ? (byte) (int) x : (byte) 255) : 0;
  }

  /** As {@link #clip(float)}, for float64. */
  public static byte clip(double x) {
    return x > 0d ? (x < 255d ? (byte) (int) x : (byte) 255) : 0;
  }

  /**
   * numpy 1.24 float32 -> uint8 on x86_64: cvttss2si to int32, low byte. Out of int32 range
   * and NaN give 0x80000000, whose low byte is 0.
   */
  public static byte cast(float x) {
    return x >= -2147483648f && x < 2147483648f ? (byte) (int) x : 0;
  }

  /** numpy 1.24 float64 -> uint8 on x86_64: cvttsd2si to int32, low byte (see above). */
  public static byte cast(double x) {
    return x > -2147483649d && x < 2147483648d ? (byte) (int) x : 0;
  }

  @Override
  public void intRange(int[] a, int len, int[] acc) {
    intRange(a, 0, len, acc);
  }

  /** min/max of a[from, len) into acc: also the vector kernels' tail. */
  static void intRange(int[] a, int from, int len, int[] acc) {
    int lo = acc[0];
    int hi = acc[1];
    for (int i = from; i < len; i++) {
      int v = a[i];
      lo = v < lo ? v : lo;
      hi = v > hi ? v : hi;
    }
    acc[0] = lo;
    acc[1] = hi;
  }

  @Override
  public void toUint8(int[] a, int len, ToUint8 op, byte[] out, int off) {
    toUint8(a, 0, len, op, out, off);
  }

  /** The integer rules on a[from, len): also the vector kernels' tail. */
  static void toUint8(int[] a, int from, int len, ToUint8 op, byte[] out, int off) {
    switch (op) {
      case UNIT -> {
        for (int i = from; i < len; i++) {
          out[off + i] = (byte) (a[i] * 255); // 0 or 1
        }
      }
      case SIGNED_UNIT -> {
        for (int i = from; i < len; i++) {
          out[off + i] = (byte) (int) (127.5d * (a[i] + 1)); // -1, 0, 1: 0, 127, 255
        }
      }
      case CLIP -> {
        for (int i = from; i < len; i++) {
          int v = a[i];
          out[off + i] = v <= 0 ? 0 : v >= 255 ? (byte) 255 : (byte) v;
        }
      }
      case CAST -> {
        for (int i = from; i < len; i++) {
          out[off + i] = (byte) a[i]; // astype(uint8): modulo 256
        }
      }
    }
  }

  @Override
  public boolean anyAboveOne(byte[] a, int off, int len) {
    for (int i = off; i < off + len; i++) {
      if ((a[i] & 0xFE) != 0) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void binIndices(float[] x, int len, Bins32 bins, boolean skipNonFinite, int[] slot) {
    binIndices(x, 0, len, bins, skipNonFinite, slot);
  }

  /** The float32 bins of x[from, len): also the vector kernels' tail. */
  static void binIndices(float[] x, int from, int len, Bins32 bins, boolean skipNonFinite,
      int[] slot) {
    float first = bins.first();
    float norm = bins.norm();
    float[] lower = bins.lower();
    float[] upper = bins.upper();
    int n = bins.n();
    for (int i = from; i < len; i++) {
      float v = x[i];
      if (skipNonFinite && !(Math.abs(v) <= Float.MAX_VALUE)) {
        slot[i] = SKIPPED;
        continue;
      }
      int k = (int) ((v - first) * norm);
      // numpy's clamp of index n, then its one-step correction against the edges
      k = (k == n ? n - 1 : k) & (SLOTS - 1);
      if (v < lower[k]) {
        k--;
      } else if (v >= upper[k]) {
        k++;
      }
      slot[i] = k & (SLOTS - 1);
    }
  }

  @Override
  public void binIndices(double[] x, int len, Bins64 bins, boolean skipNonFinite, int[] slot) {
    binIndices(x, 0, len, bins, skipNonFinite, slot);
  }

  /** The float64 bins of x[from, len): also the vector kernels' tail. */
  static void binIndices(double[] x, int from, int len, Bins64 bins, boolean skipNonFinite,
      int[] slot) {
    double first = bins.first();
    double norm = bins.norm();
    double[] lower = bins.lower();
    double[] upper = bins.upper();
    int n = bins.n();
    for (int i = from; i < len; i++) {
      double v = x[i];
      if (skipNonFinite && !(Math.abs(v) <= Double.MAX_VALUE)) {
        slot[i] = SKIPPED;
        continue;
      }
      int k = (int) ((v - first) * norm);
      k = (k == n ? n - 1 : k) & (SLOTS - 1);
      if (v < lower[k]) {
        k--;
      } else if (v >= upper[k]) {
        k++;
      }
      slot[i] = k & (SLOTS - 1);
    }
  }

  @Override
  public boolean allValid(double[] v, int count, int columns) {
    return firstInvalid(v, 0, count, columns) < 0;
  }

  /** The first row in [from, count) breaking the rules, or -1. */
  static int firstInvalid(double[] v, int from, int count, int columns) {
    for (int i = from, o = from * columns; i < count; i++, o += columns) {
      if (!validRow(v, o, columns)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean validRow(double[] v, int o, int columns) {
    // one combined test per point keeps the common path to a single branch
    if (!(Math.abs(v[o]) <= Double.MAX_VALUE && Math.abs(v[o + 1]) <= Double.MAX_VALUE
        && Math.abs(v[o + 2]) <= Double.MAX_VALUE)) {
      return false;
    }
    if (columns == 4) {
      double c = v[o + 3];
      return c >= MIN_CATEGORY && c <= MAX_CATEGORY && c == Math.rint(c);
    }
    if (columns == 6) {
      return v[o + 3] >= 0 && v[o + 3] <= 255 && v[o + 4] >= 0 && v[o + 4] <= 255
          && v[o + 5] >= 0 && v[o + 5] <= 255;
    }
    return true;
  }
}
