package dev.mediaflow.transform.image;

import dev.mediaflow.transform.simd.Kernels;
import dev.mediaflow.transform.simd.ScalarKernels;
import dev.mediaflow.transform.simd.ToUint8;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Converts array values to uint8 exactly as wandb's numpy code does (media-semantics.md,
 * "Image", step 3). Element-wise, in the array's own element order; layout is handled by
 * {@link ImageProcessor}.
 *
 * <p>With {@code normalize}, let lo/hi be numpy's {@code data.min()}/{@code data.max()}
 * (NaN if any element is NaN):
 * <pre>
 *   if 0 &lt;= lo and hi &lt;= 1:    (data * 255).astype(uint8)
 *   elif -1 &lt;= lo and hi &lt;= 1: (255 * 0.5 * (data + 1)).astype(uint8)
 *   else:                       data.clip(0, 255).astype(uint8)
 * </pre>
 * computed in the input's precision: float32 stays float32 ({@code x * 255f},
 * {@code 127.5f * (x + 1f)}; Java float arithmetic is IEEE-754 round-to-nearest per
 * operation, like numpy's float32 loops), float64 in double. Integer inputs take the same
 * branches; in branch 2 numpy computes {@code 127.5 * (v + 1)} in float64 (values are
 * -1, 0, 1 there, giving 0, 127, 255). Without {@code normalize} the values are cast like
 * {@code astype(uint8)}.
 *
 * <p><b>Float to uint8 casts.</b> numpy 1.24 casts with a C conversion, which is undefined
 * behaviour for values outside [0, 255]; on x86_64 (Debian's numpy 1.24.2, checked) it goes
 * through a 32-bit signed integer: the value is truncated toward zero and wrapped modulo
 * 256 when the truncated value fits in int32 (-1.5 gives 255, -0.5 gives 0, 300.2 gives
 * 44, 65535.9 gives 255), and NaN, +-infinity and anything outside int32 give the x86
 * "integer indefinite" 0x80000000, i.e. 0 (3e9 gives 0, 2147483647.5 gives 255). This
 * class emulates x86_64 on every platform, so results do not depend on where the pipeline
 * runs. numpy on other CPUs (aarch64 saturates) gives different bytes for negative, huge
 * or NaN inputs with {@code normalize = false} and for NaN with {@code normalize = true}
 * (the clip keeps NaN); those cases are platform-dependent in numpy itself.
 *
 * <p><b>Warnings.</b> One warning per array when a value lies outside [0, 255] (the rule of
 * the spec; wandb itself only warns when {@code normalize} is on), naming min and max; NaN
 * values are mentioned too.
 */
public final class PixelNormalizer {

  /** Which rule converted the values. */
  public enum Branch {
    /** [0, 1]: value * 255. */
    UNIT,
    /** [-1, 1]: 255 * 0.5 * (value + 1). */
    SIGNED_UNIT,
    /** Anything else: clip to [0, 255]. */
    CLIP,
    /** normalize = false: numpy astype(uint8). */
    CAST
  }

  private PixelNormalizer() {}

  /**
   * Converts every element to uint8, in the array's own (row-major) order.
   *
   * @param warnings receives at most one warning about values outside [0, 255]
   * @return one byte per element (unsigned values 0..255)
   */
  public static byte[] toUint8(PixelArray array, boolean normalize, List<String> warnings) {
    return toUint8(array, normalize, warnings, Kernels.active());
  }

  /** As {@link #toUint8(PixelArray, boolean, List)} with the given kernels (tests). */
  static byte[] toUint8(PixelArray array, boolean normalize, List<String> warnings, Kernels kernels) {
    if (array.dtype() == PixelArray.Dtype.UINT8) {
      return uint8Copy(array.data(), array.elementCount(), normalize, kernels);
    }
    byte[] out = new byte[array.elementCount()];
    convert(array, normalize, warnings, out, kernels);
    return out;
  }

  /**
   * As {@link #toUint8}, into {@code out} (at least {@code array.elementCount()} long).
   *
   * @return the branch used
   */
  public static Branch convert(PixelArray array, boolean normalize, List<String> warnings, byte[] out) {
    return convert(array, normalize, warnings, out, Kernels.active());
  }

  /** As {@link #convert(PixelArray, boolean, List, byte[])} with the given kernels (tests). */
  static Branch convert(PixelArray array, boolean normalize, List<String> warnings, byte[] out,
      Kernels kernels) {
    int n = array.elementCount();
    if (out.length < n) {
      throw new IllegalArgumentException("output has " + out.length + " bytes, need " + n);
    }
    ByteBuffer b = array.data();
    return switch (array.dtype()) {
      case FLOAT32 -> float32(b, n, normalize, warnings, out, kernels);
      case FLOAT64 -> float64(b, n, normalize, warnings, out, kernels);
      case UINT8 -> uint8(b, n, normalize, out, kernels);
      case INT64 -> integers(b, array.dtype(), n, normalize, warnings, out);
      default -> narrowIntegers(b, array.dtype(), n, normalize, warnings, out, kernels);
    };
  }

  // ------------------------------------------------------------------------------------
  // float32
  // ------------------------------------------------------------------------------------

  /**
   * One pass over 16 KiB chunks copied in bulk from the buffer, each converted while it is in
   * the cache: the min/max so far through the kernels' sort keys (numpy's min()/max() are NaN
   * when any element is NaN; the keys sort NaN beyond the infinities, so it is detected
   * exactly) gives the branch the whole array will take unless a later value widens the range,
   * and the chunk is converted by that branch's rule. A range only widens, so the guess moves
   * from unit to signed unit to clip at most; when it moves, the chunks before are converted
   * again with the final rule (in images the first chunk nearly always decides). Without
   * normalization the rule is known from the start.
   */
  private static Branch float32(ByteBuffer b, int n, boolean normalize, List<String> warnings,
      byte[] out, Kernels kernels) {
    FloatBuffer in = b.asFloatBuffer();
    float[] chunk = new float[chunkLength(n)];
    int[] keys = {Integer.MAX_VALUE, Integer.MIN_VALUE};
    Branch branch = branch(normalize, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY); // n = 0
    int redoEnd = 0; // [0, redoEnd) was converted by an earlier guess
    for (int base = 0; base < n; base += chunk.length) {
      int len = Math.min(chunk.length, n - base);
      in.get(base, chunk, 0, len);
      kernels.keyRange(chunk, len, keys);
      Branch now = branch(normalize, lo32(keys), hi32(keys));
      if (now != branch) {
        branch = now;
        redoEnd = base;
      }
      kernels.toUint8(chunk, len, op(branch), out, base);
    }
    ToUint8 op = op(branch);
    for (int base = 0; base < redoEnd; base += chunk.length) {
      int len = Math.min(chunk.length, redoEnd - base);
      in.get(base, chunk, 0, len);
      kernels.toUint8(chunk, len, op, out, base);
    }
    float lo = n > 0 ? lo32(keys) : Float.POSITIVE_INFINITY; // n = 0: as the compares of old gave
    float hi = n > 0 ? hi32(keys) : Float.NEGATIVE_INFINITY;
    if (Float.isNaN(lo) || lo < 0f || hi > 255f) {
      warnings.add(canReuseRange(lo, hi)
          ? rangeWarning(Float.toString(lo), Float.toString(hi), branch)
          : floatWarning(b, n, 4, branch));
    }
    return branch;
  }

  private static final int CHUNK = 4096;
  private static final int KEY32_POS_INF = 0x7F800000;
  private static final int KEY32_NEG_INF = 0x807FFFFF; // sortKey32(0xFF800000)
  private static final long KEY64_POS_INF = 0x7FF0000000000000L;
  private static final long KEY64_NEG_INF = 0x800FFFFFFFFFFFFFL;

  /** 16 KiB of floats (half as many doubles); tiny inputs get a tiny chunk. */
  private static int chunkLength(int n) {
    return Math.max(1, Math.min(CHUNK, n));
  }

  /** numpy's min() from folded sort keys: NaN when any key is beyond the infinities. */
  private static float lo32(int[] keys) {
    return keys[1] > KEY32_POS_INF || keys[0] < KEY32_NEG_INF ? Float.NaN : value32(keys[0]);
  }

  private static float hi32(int[] keys) {
    return keys[1] > KEY32_POS_INF || keys[0] < KEY32_NEG_INF ? Float.NaN : value32(keys[1]);
  }

  private static double lo64(long[] keys) {
    return keys[1] > KEY64_POS_INF || keys[0] < KEY64_NEG_INF ? Double.NaN : value64(keys[0]);
  }

  private static double hi64(long[] keys) {
    return keys[1] > KEY64_POS_INF || keys[0] < KEY64_NEG_INF ? Double.NaN : value64(keys[1]);
  }

  private static float value32(int key) {
    return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7FFFFFFF));
  }

  private static double value64(long key) {
    return Double.longBitsToDouble(key ^ ((key >> 63) & 0x7FFFFFFFFFFFFFFFL));
  }

  private static ToUint8 op(Branch branch) {
    return switch (branch) {
      case UNIT -> ToUint8.UNIT;
      case SIGNED_UNIT -> ToUint8.SIGNED_UNIT;
      case CLIP -> ToUint8.CLIP;
      case CAST -> ToUint8.CAST;
    };
  }

  private static Branch branch(boolean normalize, double lo, double hi) {
    if (!normalize) {
      return Branch.CAST;
    }
    if (0 <= lo && hi <= 1) {
      return Branch.UNIT;
    }
    if (-1 <= lo && hi <= 1) {
      return Branch.SIGNED_UNIT;
    }
    return Branch.CLIP; // also when lo/hi are NaN: every comparison is false, as in numpy
  }

  /** clip(0, 255) then astype(uint8); NaN stays NaN in numpy's clip and casts to 0 (x86_64). */
  static byte clip(float x) {
    return ScalarKernels.clip(x);
  }

  static byte clip(double x) {
    return ScalarKernels.clip(x);
  }

  /** numpy 1.24 float32 -> uint8 on x86_64 (see {@link ScalarKernels#cast(float)}). */
  static byte cast(float x) {
    return ScalarKernels.cast(x);
  }

  /** numpy 1.24 float64 -> uint8 on x86_64 (see {@link ScalarKernels#cast(double)}). */
  static byte cast(double x) {
    return ScalarKernels.cast(x);
  }

  // ------------------------------------------------------------------------------------
  // float64
  // ------------------------------------------------------------------------------------

  /** As {@link #float32}: one pass, the branch guessed from the range so far. */
  private static Branch float64(ByteBuffer b, int n, boolean normalize, List<String> warnings,
      byte[] out, Kernels kernels) {
    DoubleBuffer in = b.asDoubleBuffer();
    double[] chunk = new double[Math.max(1, chunkLength(n) / 2)];
    long[] keys = {Long.MAX_VALUE, Long.MIN_VALUE};
    Branch branch = branch(normalize, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY); // n = 0
    int redoEnd = 0; // [0, redoEnd) was converted by an earlier guess
    for (int base = 0; base < n; base += chunk.length) {
      int len = Math.min(chunk.length, n - base);
      in.get(base, chunk, 0, len);
      kernels.keyRange(chunk, len, keys);
      Branch now = branch(normalize, lo64(keys), hi64(keys));
      if (now != branch) {
        branch = now;
        redoEnd = base;
      }
      kernels.toUint8(chunk, len, op(branch), out, base);
    }
    ToUint8 op = op(branch);
    for (int base = 0; base < redoEnd; base += chunk.length) {
      int len = Math.min(chunk.length, redoEnd - base);
      in.get(base, chunk, 0, len);
      kernels.toUint8(chunk, len, op, out, base);
    }
    double lo = n > 0 ? lo64(keys) : Double.POSITIVE_INFINITY;
    double hi = n > 0 ? hi64(keys) : Double.NEGATIVE_INFINITY;
    if (Double.isNaN(lo) || lo < 0d || hi > 255d) {
      warnings.add(canReuseRange(lo, hi)
          ? rangeWarning(Double.toString(lo), Double.toString(hi), branch)
          : floatWarning(b, n, 8, branch));
    }
    return branch;
  }

  /**
   * Whether the first pass's min/max can go into the warning as they are, saving a pass
   * over the data. Not with NaN: the warning needs the min/max of the other values and the
   * NaN count. Not when either is a zero: the first pass's plain compares keep whichever
   * of 0.0 and -0.0 came first, while the warning names the zero {@link Math#min}/{@link
   * Math#max} pick (-0.0 for min, 0.0 for max) whatever the order.
   */
  private static boolean canReuseRange(double lo, double hi) {
    return !Double.isNaN(lo) && lo != 0d && hi != 0d;
  }

  private static String rangeWarning(String min, String max, Branch branch) {
    return "pixel values outside [0, 255] (min=" + min + ", max=" + max + "); " + effect(branch);
  }

  /** The warning from a second pass over the data: for NaN or a zero min/max (see above). */
  private static String floatWarning(ByteBuffer b, int n, int width, Branch branch) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    long nans = 0;
    for (int i = 0, p = 0; i < n; i++, p += width) {
      double x = width == 4 ? b.getFloat(p) : b.getDouble(p);
      if (x != x) {
        nans++;
      } else {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
    }
    String range;
    if (nans == n) {
      range = "all values are NaN";
    } else {
      String min = width == 4 ? Float.toString((float) lo) : Double.toString(lo);
      String max = width == 4 ? Float.toString((float) hi) : Double.toString(hi);
      range = "min=" + min + ", max=" + max + (nans > 0 ? ", " + nans + " NaN" : "");
    }
    return "pixel values outside [0, 255] (" + range + "); " + effect(branch)
        + (nans > 0 ? "; NaN became 0" : "");
  }

  private static String effect(Branch branch) {
    return switch (branch) {
      case UNIT -> "scaled by 255"; // unreachable: [0, 1] is inside [0, 255]
      case SIGNED_UNIT -> "rescaled from [-1, 1] to [0, 255]";
      case CLIP -> "clipped to [0, 255]";
      case CAST -> "cast to uint8 without normalization (truncated, wrapped modulo 256)";
    };
  }

  // ------------------------------------------------------------------------------------
  // uint8
  // ------------------------------------------------------------------------------------

  /**
   * uint8 needs no min/max pass. Its values are never outside [0, 255], so there is never a
   * warning, and lo &gt;= 0 always holds, so the rule only asks whether some value is above
   * 1: if so, clip(0, 255), the identity on uint8; if not, every value is 0 or 1 and the
   * unit rule applies. The scan stops at the first value above 1, which in a real picture
   * comes within the first few bytes, so the common case costs about one copy, as numpy's.
   */
  private static Branch uint8(ByteBuffer b, int n, boolean normalize, byte[] out, Kernels kernels) {
    b.get(0, out, 0, n); // clip(0, 255).astype(uint8) and astype(uint8): both the identity
    return normalize ? unitIfAtMostOne(out, n, kernels) : Branch.CAST;
  }

  /**
   * The uint8 rule into a new array. With a heap buffer the copy is {@link
   * Arrays#copyOfRange}, which C2 compiles to an allocation without the zeroing a {@code new
   * byte[]} gets (the copy covers it all): one write of the output instead of two, the
   * difference that made this path slower than numpy's copy.
   */
  private static byte[] uint8Copy(ByteBuffer b, int n, boolean normalize, Kernels kernels) {
    byte[] out;
    if (b.hasArray()) {
      out = Arrays.copyOfRange(b.array(), b.arrayOffset(), b.arrayOffset() + n); // elements from index 0
    } else {
      out = new byte[n];
      b.get(0, out, 0, n);
    }
    if (normalize) {
      unitIfAtMostOne(out, n, kernels);
    }
    return out;
  }

  /** With normalization, on uint8 values already copied to {@code out[0, n)}: see {@link #uint8}. */
  private static Branch unitIfAtMostOne(byte[] out, int n, Kernels kernels) {
    if (kernels.anyAboveOne(out, 0, n)) {
      return Branch.CLIP;
    }
    for (int i = 0; i < n; i++) {
      out[i] = (byte) (out[i] * 255); // 0 or 1 -> 0 or 255
    }
    return Branch.UNIT; // n = 0 too, as before
  }

  // ------------------------------------------------------------------------------------
  // integers (other than uint8)
  // ------------------------------------------------------------------------------------

  /**
   * int8, uint16, int16 and int32: widened to int in bulk-copied chunks, then the kernels' min/max
   * and the branch's rule. (int64 keeps the loop below.)
   */
  private static Branch narrowIntegers(ByteBuffer b, PixelArray.Dtype dtype, int n,
      boolean normalize, List<String> warnings, byte[] out, Kernels kernels) {
    IntChunks chunks = new IntChunks(b, dtype, chunkLength(n));
    int[] range = {Integer.MAX_VALUE, Integer.MIN_VALUE};
    for (int base = 0; base < n; base += chunks.values.length) {
      int len = chunks.load(base, Math.min(chunks.values.length, n - base));
      kernels.intRange(chunks.values, len, range);
    }
    long lo = range[0];
    long hi = range[1];
    Branch branch = integerBranch(normalize, lo, hi);
    ToUint8 op = op(branch);
    for (int base = 0; base < n; base += chunks.values.length) {
      int len = chunks.load(base, Math.min(chunks.values.length, n - base));
      kernels.toUint8(chunks.values, len, op, out, base);
    }
    if (n > 0 && (lo < 0 || hi > 255)) {
      warnings.add("pixel values outside [0, 255] (min=" + lo + ", max=" + hi + "); " + effect(branch));
    }
    return branch;
  }

  private static Branch integerBranch(boolean normalize, long lo, long hi) {
    if (!normalize) {
      return Branch.CAST;
    }
    if (lo >= 0 && hi <= 1) {
      return Branch.UNIT;
    }
    return lo >= -1 && hi <= 1 ? Branch.SIGNED_UNIT : Branch.CLIP;
  }

  /** Chunks of 8- to 32-bit integers, widened to int (no per-element buffer reads). */
  private static final class IntChunks {
    final int[] values;
    private final ByteBuffer b;
    private final PixelArray.Dtype dtype;
    private final byte[] bytes;
    private final short[] shorts;

    IntChunks(ByteBuffer b, PixelArray.Dtype dtype, int length) {
      this.b = b;
      this.dtype = dtype;
      this.values = new int[length];
      this.bytes = dtype == PixelArray.Dtype.INT8 ? new byte[length] : null;
      this.shorts = dtype.byteWidth() == 2 ? new short[length] : null;
    }

    /** Elements [base, base + len) into {@link #values}; returns len. */
    int load(int base, int len) {
      switch (dtype) {
        case INT8 -> {
          b.get(base, bytes, 0, len);
          for (int j = 0; j < len; j++) {
            values[j] = bytes[j];
          }
        }
        case UINT16, INT16 -> {
          b.asShortBuffer().get(base, shorts, 0, len);
          int mask = dtype == PixelArray.Dtype.UINT16 ? 0xFFFF : -1;
          for (int j = 0; j < len; j++) {
            values[j] = shorts[j] & mask;
          }
        }
        case INT32 -> b.asIntBuffer().get(base, values, 0, len);
        default -> throw new IllegalArgumentException("not an 8- to 32-bit integer dtype: " + dtype);
      }
      return len;
    }
  }

  private static final int OP_UNIT = 0;
  private static final int OP_SIGNED_UNIT = 1;
  private static final int OP_CLIP = 2;
  private static final int OP_CAST = 3;

  private static Branch integers(ByteBuffer b, PixelArray.Dtype dtype, int n, boolean normalize,
      List<String> warnings, byte[] out) {
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    switch (dtype) {
      case INT8 -> {
        for (int i = 0; i < n; i++) {
          int v = b.get(i);
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
      case UINT16 -> {
        for (int i = 0, p = 0; i < n; i++, p += 2) {
          int v = b.getShort(p) & 0xFFFF;
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
      case INT16 -> {
        for (int i = 0, p = 0; i < n; i++, p += 2) {
          int v = b.getShort(p);
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
      case INT32 -> {
        for (int i = 0, p = 0; i < n; i++, p += 4) {
          int v = b.getInt(p);
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
      case INT64 -> {
        for (int i = 0, p = 0; i < n; i++, p += 8) {
          long v = b.getLong(p);
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
      default -> throw new IllegalArgumentException("not an integer dtype: " + dtype);
    }
    Branch branch;
    int op;
    if (!normalize) {
      branch = Branch.CAST;
      op = OP_CAST;
    } else if (lo >= 0 && hi <= 1) {
      branch = Branch.UNIT;
      op = OP_UNIT;
    } else if (lo >= -1 && hi <= 1) {
      branch = Branch.SIGNED_UNIT;
      op = OP_SIGNED_UNIT;
    } else {
      branch = Branch.CLIP;
      op = OP_CLIP;
    }
    switch (dtype) {
      case INT8 -> {
        for (int i = 0; i < n; i++) {
          out[i] = map(b.get(i), op);
        }
      }
      case UINT16 -> {
        for (int i = 0, p = 0; i < n; i++, p += 2) {
          out[i] = map(b.getShort(p) & 0xFFFF, op);
        }
      }
      case INT16 -> {
        for (int i = 0, p = 0; i < n; i++, p += 2) {
          out[i] = map(b.getShort(p), op);
        }
      }
      case INT32 -> {
        for (int i = 0, p = 0; i < n; i++, p += 4) {
          out[i] = map(b.getInt(p), op);
        }
      }
      case INT64 -> {
        for (int i = 0, p = 0; i < n; i++, p += 8) {
          out[i] = map(b.getLong(p), op);
        }
      }
      default -> throw new IllegalArgumentException("not an integer dtype: " + dtype);
    }
    if (n > 0 && (lo < 0 || hi > 255)) {
      warnings.add("pixel values outside [0, 255] (min=" + lo + ", max=" + hi + "); " + effect(branch));
    }
    return branch;
  }

  /** One integer value through the chosen rule ({@code op} is loop-invariant). */
  private static byte map(long v, int op) {
    switch (op) {
      case OP_UNIT:
        return (byte) (v * 255); // v is 0 or 1
      case OP_SIGNED_UNIT:
        return (byte) (int) (127.5d * (v + 1)); // v is -1, 0 or 1: 0, 127, 255
      case OP_CLIP:
        return v <= 0 ? 0 : v >= 255 ? (byte) 255 : (byte) v;
      default:
        return (byte) v; // astype(uint8): modulo 256
    }
  }
}
