package dev.mediaflow.transform.simd;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernels with the JDK 17 incubator Vector API, at the CPU's preferred width. Only loaded
 * by {@link Kernels#active()} when {@code jdk.incubator.vector} is in the boot layer.
 *
 * <p><b>Why the results are the scalar ones, bit for bit.</b> Lane-wise add, subtract and
 * multiply are single IEEE-754 operations rounded to nearest, like Java's and numpy's scalar
 * ones, and are never fused; they run in the same order as the scalar formulas. Truncation to
 * an integer is done by {@link #floorSmall(FloatVector)} only on values known to lie in
 * [0, 2^22) (the rule guarantees it, or the value is first clipped, or the scalar code runs
 * for that vector), where it is exactly the scalar cast; the int to byte step keeps the low
 * byte, as a Java cast. Masks replace the scalar branches one for one, and the tails run the
 * scalar code itself.
 */
public final class VectorKernels implements Kernels, Kernels.VectorSupport {

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> FI = IntVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Long> DL = LongVector.SPECIES_PREFERRED;
  private static final int MIN_BITS = 256;
  private static final boolean WIDE = F.vectorBitSize() >= MIN_BITS;
  /** Bytes for one float vector's lanes (16 lanes: 128 bits). */
  private static final VectorSpecies<Byte> FB = WIDE ? bytes(F.length()) : null;
  /** Ints and bytes for one double vector's lanes (8 lanes: 256 and 64 bits). */
  private static final VectorSpecies<Integer> DI = WIDE ? ints(D.length()) : null;
  private static final VectorSpecies<Byte> DB = WIDE ? bytes(D.length()) : null;
  private static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED;
  /** Bits of +inf and 255 for {@link #clip(FloatVector)} and {@link #clip(DoubleVector)}. */
  private static final int CLIP32_INF = Float.floatToRawIntBits(Float.POSITIVE_INFINITY);
  private static final int CLIP32_255 = Float.floatToRawIntBits(255f);
  private static final long CLIP64_INF = Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);
  private static final long CLIP64_255 = Double.doubleToRawLongBits(255d);
  private static final float TWO_POW_23 = 8388608f;
  private static final double TWO_POW_52 = 4503599627370496d;
  /** Floats cast through the vector path: where {@link #floorSmall} is exact. */
  private static final float FLOAT_EXACT_FLOOR = 4194304f;
  /** Doubles cast through the vector path: inside int32, where the scalar cast truncates (2^31 &lt; 2^51). */
  private static final double DOUBLE_CAST_LIMIT = 2147483648d;
  /**
   * Bin positions are below n + 1 &lt;= 513; a cap far above keeps {@link #floorSmall} in its
   * exact range were that ever broken (the index is then masked, as in the scalar code).
   */
  private static final float BIN_CAP_32 = 1 << 20;
  private static final double BIN_CAP_64 = 1 << 20;

  /** Public for the reflective creation in {@link Kernels.Choice}; use {@link Kernels#active()}. */
  public VectorKernels() {}

  private static VectorSpecies<Byte> bytes(int lanes) {
    return VectorSpecies.of(byte.class, VectorShape.forBitSize(lanes * 8));
  }

  private static VectorSpecies<Integer> ints(int lanes) {
    return VectorSpecies.of(int.class, VectorShape.forBitSize(lanes * 32));
  }

  @Override
  public boolean supported() {
    return WIDE;
  }

  @Override
  public String name() {
    return "vector";
  }

  // ------------------------------------------------------------------------------------
  // sort-key ranges
  // ------------------------------------------------------------------------------------

  @Override
  public void keyRange(float[] a, int len, int[] acc) {
    IntVector lo = IntVector.broadcast(FI, acc[0]);
    IntVector hi = IntVector.broadcast(FI, acc[1]);
    int i = 0;
    for (int bound = F.loopBound(len); i < bound; i += F.length()) {
      IntVector bits = FloatVector.fromArray(F, a, i).reinterpretAsInts();
      IntVector key = bits.lanewise(VectorOperators.XOR,
          bits.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.AND, 0x7FFFFFFF));
      lo = lo.min(key);
      hi = hi.max(key);
    }
    acc[0] = lo.reduceLanes(VectorOperators.MIN);
    acc[1] = hi.reduceLanes(VectorOperators.MAX);
    if (i < len) {
      float[] tail = java.util.Arrays.copyOfRange(a, i, len);
      ScalarKernels.INSTANCE.keyRange(tail, tail.length, acc);
    }
  }

  @Override
  public void keyRange(double[] a, int len, long[] acc) {
    LongVector lo = LongVector.broadcast(DL, acc[0]);
    LongVector hi = LongVector.broadcast(DL, acc[1]);
    int i = 0;
    for (int bound = D.loopBound(len); i < bound; i += D.length()) {
      LongVector bits = DoubleVector.fromArray(D, a, i).reinterpretAsLongs();
      LongVector key = bits.lanewise(VectorOperators.XOR, bits.lanewise(VectorOperators.ASHR, 63)
          .lanewise(VectorOperators.AND, 0x7FFFFFFFFFFFFFFFL));
      lo = lo.min(key);
      hi = hi.max(key);
    }
    acc[0] = lo.reduceLanes(VectorOperators.MIN);
    acc[1] = hi.reduceLanes(VectorOperators.MAX);
    if (i < len) {
      double[] tail = java.util.Arrays.copyOfRange(a, i, len);
      ScalarKernels.INSTANCE.keyRange(tail, tail.length, acc);
    }
  }

  // ------------------------------------------------------------------------------------
  // to uint8
  // ------------------------------------------------------------------------------------

  @Override
  public void toUint8(float[] a, int len, ToUint8 op, byte[] out, int off) {
    int bound = F.loopBound(len);
    switch (op) {
      case UNIT -> {
        for (int i = 0; i < bound; i += F.length()) {
          // x in [0, 1], so x * 255 is in [0, 255]
          store(FloatVector.fromArray(F, a, i).mul(255f), out, off + i);
        }
      }
      case SIGNED_UNIT -> {
        for (int i = 0; i < bound; i += F.length()) {
          // 127.5f * (x + 1f), multiplication commutes exactly; in [0, 255]
          store(FloatVector.fromArray(F, a, i).add(1f).mul(127.5f), out, off + i);
        }
      }
      case CLIP -> {
        for (int i = 0; i < bound; i += F.length()) {
          store(clip(FloatVector.fromArray(F, a, i)), out, off + i);
        }
      }
      case CAST -> {
        for (int i = 0; i < bound; i += F.length()) {
          FloatVector x = FloatVector.fromArray(F, a, i);
          FloatVector m = x.abs();
          if (m.compare(VectorOperators.LT, FLOAT_EXACT_FLOOR).allTrue()) {
            // truncation toward zero: -floor(|x|) below zero; then the low byte
            IntVector t = floorSmall(m).lanewise(VectorOperators.NEG, x.compare(VectorOperators.LT, 0f).cast(FI));
            t.convertShape(VectorOperators.I2B, FB, 0).reinterpretAsBytes().intoArray(out, off + i);
          } else {
            // NaN, or magnitudes where the trick is not exact: the scalar rule for these lanes
            ScalarKernels.toUint8(a, i, i + F.length(), op, out, off);
          }
        }
      }
    }
    ScalarKernels.toUint8(a, bound, len, op, out, off);
  }

  /**
   * The clip rule's clip(0, 255) with NaN as 0, in integer operations on the float's bits:
   * JDK 17 compiles a float compare-and-blend and the float min (Java's NaN and -0.0 rules) to
   * several instructions each, integer min/max/shift to one. Non-negative floats order like
   * their bits as signed ints, so max(bits, 0) and min(bits, bits(255)) clip every non-NaN
   * value (a negative float, -0.0 and -inf included, has negative bits, giving +0.0). A positive
   * NaN's bits exceed +inf's: {@code (bits(+inf) - bits) >> 31} is then all ones and clears it
   * to +0.0 first (for negative bits that mask may be anything; they become +0.0 either way).
   */
  static FloatVector clip(FloatVector x) {
    IntVector t = x.reinterpretAsInts();
    IntVector nan = IntVector.broadcast(FI, CLIP32_INF).sub(t).lanewise(VectorOperators.ASHR, 31);
    return t.lanewise(VectorOperators.AND_NOT, nan).max(0).min(CLIP32_255).reinterpretAsFloats();
  }

  /** As {@link #clip(FloatVector)} with 64-bit bits. */
  static DoubleVector clip(DoubleVector x) {
    LongVector t = x.reinterpretAsLongs();
    LongVector nan = LongVector.broadcast(DL, CLIP64_INF).sub(t).lanewise(VectorOperators.ASHR, 63);
    return t.lanewise(VectorOperators.AND_NOT, nan).max(0L).min(CLIP64_255).reinterpretAsDoubles();
  }

  /** Truncates lanes known to be in [0, 256) to integers and stores them as bytes. */
  private static void store(FloatVector y, byte[] out, int at) {
    floorSmall(y).convertShape(VectorOperators.I2B, FB, 0).reinterpretAsBytes().intoArray(out, at);
  }

  /**
   * floor(v) for lanes in [0, 2^22) (-0.0 included), as ints, with float operations only:
   * JDK 17's C2 does not compile the Vector API's float to int conversion to SIMD on x86
   * (it runs lane by lane, ten times slower than scalar code). In [2^23, 2^24) floats are
   * spaced 1 apart, so {@code v + 2^23} is v rounded to the nearest integer, exactly, plus
   * 2^23; subtracting 2^23 is exact; one is taken off where that rounded up; adding 2^23 again
   * leaves the integer in the low mantissa bits.
   */
  static IntVector floorSmall(FloatVector v) {
    FloatVector r = v.add(TWO_POW_23).sub(TWO_POW_23);
    r = r.sub(1f, r.compare(VectorOperators.GT, v));
    return r.add(TWO_POW_23).reinterpretAsInts().sub(Float.floatToRawIntBits(TWO_POW_23));
  }

  /** As {@link #floorSmall(FloatVector)} for doubles in [0, 2^51), with 2^52. */
  static LongVector floorSmall(DoubleVector v) {
    DoubleVector r = v.add(TWO_POW_52).sub(TWO_POW_52);
    r = r.sub(1d, r.compare(VectorOperators.GT, v));
    return r.add(TWO_POW_52).reinterpretAsLongs().sub(Double.doubleToRawLongBits(TWO_POW_52));
  }

  @Override
  public void toUint8(double[] a, int len, ToUint8 op, byte[] out, int off) {
    int bound = D.loopBound(len);
    switch (op) {
      case UNIT -> {
        for (int i = 0; i < bound; i += D.length()) {
          store(DoubleVector.fromArray(D, a, i).mul(255d), out, off + i);
        }
      }
      case SIGNED_UNIT -> {
        for (int i = 0; i < bound; i += D.length()) {
          store(DoubleVector.fromArray(D, a, i).add(1d).mul(127.5d), out, off + i);
        }
      }
      case CLIP -> {
        for (int i = 0; i < bound; i += D.length()) {
          store(clip(DoubleVector.fromArray(D, a, i)), out, off + i);
        }
      }
      case CAST -> {
        for (int i = 0; i < bound; i += D.length()) {
          DoubleVector x = DoubleVector.fromArray(D, a, i);
          DoubleVector m = x.abs();
          if (m.compare(VectorOperators.LT, DOUBLE_CAST_LIMIT).allTrue()) {
            LongVector t = floorSmall(m).lanewise(VectorOperators.NEG, x.compare(VectorOperators.LT, 0d).cast(DL));
            t.convertShape(VectorOperators.L2B, DB, 0).reinterpretAsBytes().intoArray(out, off + i);
          } else {
            ScalarKernels.toUint8(a, i, i + D.length(), op, out, off);
          }
        }
      }
    }
    ScalarKernels.toUint8(a, bound, len, op, out, off);
  }

  private static void store(DoubleVector y, byte[] out, int at) {
    floorSmall(y).convertShape(VectorOperators.L2B, DB, 0).reinterpretAsBytes().intoArray(out, at);
  }

  @Override
  public void intRange(int[] a, int len, int[] acc) {
    IntVector lo = IntVector.broadcast(FI, acc[0]);
    IntVector hi = IntVector.broadcast(FI, acc[1]);
    int i = 0;
    for (int bound = FI.loopBound(len); i < bound; i += FI.length()) {
      IntVector v = IntVector.fromArray(FI, a, i);
      lo = lo.min(v);
      hi = hi.max(v);
    }
    acc[0] = lo.reduceLanes(VectorOperators.MIN);
    acc[1] = hi.reduceLanes(VectorOperators.MAX);
    ScalarKernels.intRange(a, i, len, acc);
  }

  @Override
  public void toUint8(int[] a, int len, ToUint8 op, byte[] out, int off) {
    int bound = FI.loopBound(len);
    for (int i = 0; i < bound; i += FI.length()) {
      IntVector v = IntVector.fromArray(FI, a, i);
      IntVector r = switch (op) {
        case UNIT -> v.mul(255);
        // v in {-1, 0, 1}: (v + 1) * 255 / 2 rounded down is 0, 127, 255, as (int) (127.5 * (v + 1))
        case SIGNED_UNIT -> v.add(1).mul(255).lanewise(VectorOperators.ASHR, 1);
        case CLIP -> v.max(0).min(255);
        case CAST -> v;
      };
      r.convertShape(VectorOperators.I2B, FB, 0).reinterpretAsBytes().intoArray(out, off + i);
    }
    ScalarKernels.toUint8(a, bound, len, op, out, off);
  }

  @Override
  public boolean anyAboveOne(byte[] a, int off, int len) {
    int i = off;
    for (int bound = off + B.loopBound(len); i < bound; i += B.length()) {
      ByteVector v = ByteVector.fromArray(B, a, i);
      if (v.lanewise(VectorOperators.AND, (byte) 0xFE).compare(VectorOperators.NE, (byte) 0).anyTrue()) {
        return true;
      }
    }
    return ScalarKernels.INSTANCE.anyAboveOne(a, i, off + len - i);
  }

  // ------------------------------------------------------------------------------------
  // histogram bins
  // ------------------------------------------------------------------------------------

  @Override
  public void binIndices(float[] x, int len, Bins32 bins, boolean skipNonFinite, int[] slot) {
    float first = bins.first();
    float norm = bins.norm();
    float[] lower = bins.lower();
    float[] upper = bins.upper();
    int n = bins.n();
    int bound = F.loopBound(len);
    for (int i = 0; i < bound; i += F.length()) {
      FloatVector v = FloatVector.fromArray(F, x, i);
      FloatVector f = v.sub(first).mul(norm);
      if (skipNonFinite) {
        // a non-finite lane is binned as 0, then marked skipped below
        f = f.blend(0f, v.abs().compare(VectorOperators.LE, Float.MAX_VALUE).not());
      }
      // finite x in range: f is in [0, n + 1), where floor is the scalar code's truncation
      IntVector k = floorSmall(f.min(BIN_CAP_32));
      k = k.blend(n - 1, k.compare(VectorOperators.EQ, n)).lanewise(VectorOperators.AND, SLOTS - 1);
      k.intoArray(slot, i); // the gathers read their lanes' indices from memory
      FloatVector lo = FloatVector.fromArray(F, lower, 0, slot, i);
      FloatVector hi = FloatVector.fromArray(F, upper, 0, slot, i);
      VectorMask<Float> below = v.compare(VectorOperators.LT, lo);
      VectorMask<Float> above = v.compare(VectorOperators.GE, hi).andNot(below);
      k = k.sub(1, below.cast(FI)).add(1, above.cast(FI)).lanewise(VectorOperators.AND, SLOTS - 1);
      if (skipNonFinite) {
        k = k.blend(SKIPPED, v.abs().compare(VectorOperators.LE, Float.MAX_VALUE).not().cast(FI));
      }
      k.intoArray(slot, i);
    }
    ScalarKernels.binIndices(x, bound, len, bins, skipNonFinite, slot);
  }

  /**
   * The scalar loop: JDK 17's C2 compiles neither the double to int conversion nor the
   * long to int narrowing the gathers' indices need to SIMD on x86 (measured 30 times slower
   * than the scalar loop), and the float64 loop has half the lanes to gain from.
   */
  @Override
  public void binIndices(double[] x, int len, Bins64 bins, boolean skipNonFinite, int[] slot) {
    ScalarKernels.binIndices(x, 0, len, bins, skipNonFinite, slot);
  }

  // ------------------------------------------------------------------------------------
  // point clouds
  // ------------------------------------------------------------------------------------

  /**
   * Lane-wise min and max per position of the rules' period (no masks in the loop: JDK 17
   * compiles mask logic poorly), compared with the bounds once at the end; Java's min/max
   * propagate NaN, which then fails the comparison, as in the scalar rule.
   */
  /**
   * One pass: lane-wise min and max per position of the rules' period (no masks in the loop:
   * JDK 17 compiles mask logic poorly), compared with the bounds once at the end; Java's
   * min/max propagate NaN, which then fails the comparison, as in the scalar rule. The
   * period lcm(columns, lanes) is one or three vectors for 4 or 8 lanes.
   */
  @Override
  public boolean allValid(double[] v, int count, int columns) {
    int lanes = D.length();
    int period = lcm(columns, lanes);
    if (period != lanes && period != 3 * lanes) {
      return ScalarKernels.firstInvalid(v, 0, count, columns) < 0;
    }
    int total = count * columns;
    int bound = total - total % period;
    double[] min = new double[3 * lanes];
    double[] max = new double[3 * lanes];
    DoubleVector inf = DoubleVector.broadcast(D, Double.POSITIVE_INFINITY);
    DoubleVector lo0 = inf;
    DoubleVector lo1 = inf;
    DoubleVector lo2 = inf;
    DoubleVector hi0 = inf.neg();
    DoubleVector hi1 = hi0;
    DoubleVector hi2 = hi0;
    if (period == lanes) {
      for (int i = 0; i < bound; i += period) {
        DoubleVector x = DoubleVector.fromArray(D, v, i);
        lo0 = lo0.min(x);
        hi0 = hi0.max(x);
      }
    } else {
      for (int i = 0; i < bound; i += period) {
        DoubleVector x0 = DoubleVector.fromArray(D, v, i);
        DoubleVector x1 = DoubleVector.fromArray(D, v, i + lanes);
        DoubleVector x2 = DoubleVector.fromArray(D, v, i + 2 * lanes);
        lo0 = lo0.min(x0);
        hi0 = hi0.max(x0);
        lo1 = lo1.min(x1);
        hi1 = hi1.max(x1);
        lo2 = lo2.min(x2);
        hi2 = hi2.max(x2);
      }
    }
    lo0.intoArray(min, 0);
    lo1.intoArray(min, lanes);
    lo2.intoArray(min, 2 * lanes);
    hi0.intoArray(max, 0);
    hi1.intoArray(max, lanes);
    hi2.intoArray(max, 2 * lanes);
    for (int j = 0; j < period; j++) {
      int col = j % columns;
      double lo = col < 3 ? -Double.MAX_VALUE : columns == 4 ? 1 : 0;
      double hi = col < 3 ? Double.MAX_VALUE : columns == 4 ? 14 : 255;
      if (!(min[j] >= lo && max[j] <= hi)) {
        return false;
      }
    }
    if (columns == 4 && !categoriesWhole(v, bound / columns)) {
      return false;
    }
    return ScalarKernels.firstInvalid(v, bound / columns, count, columns) < 0;
  }

  /** Whether every category (all in [1, 14] already) is a whole number. */
  private static boolean categoriesWhole(double[] v, int count) {
    for (int i = 0, o = 3; i < count; i++, o += 4) {
      double c = v[o];
      if (c != (int) c) {
        return false;
      }
    }
    return true;
  }

  private static int lcm(int a, int b) {
    int x = a;
    int y = b;
    while (y != 0) {
      int t = x % y;
      x = y;
      y = t;
    }
    return a / x * b;
  }
}
