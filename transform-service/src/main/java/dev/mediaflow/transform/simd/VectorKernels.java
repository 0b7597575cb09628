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
 * ones, and are never fused; they run in the same order as the scalar formulas. A float to
 * int conversion is only ever applied to values already known to lie in int range (the rule
 * guarantees it, or the value is first clipped or replaced by 0 exactly where the scalar code
 * gives 0), so no lane depends on how out-of-range conversions behave; the int to byte step
 * keeps the low byte, as a Java cast. Masks replace the scalar branches one for one, and the
 * tails run the scalar code itself.
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
          FloatVector x = FloatVector.fromArray(F, a, i);
          // not (x > 0), NaN included, gives 0; x >= 255 gives 255; the rest is truncated
          FloatVector y = x.blend(0f, x.compare(VectorOperators.GT, 0f).not());
          store(y.blend(255f, y.compare(VectorOperators.GE, 255f)), out, off + i);
        }
      }
      case CAST -> {
        for (int i = 0; i < bound; i += F.length()) {
          FloatVector x = FloatVector.fromArray(F, a, i);
          VectorMask<Float> inInt = x.compare(VectorOperators.GE, -2147483648f)
              .and(x.compare(VectorOperators.LT, 2147483648f));
          store(x.blend(0f, inInt.not()), out, off + i);
        }
      }
    }
    ScalarKernels.toUint8(a, bound, len, op, out, off);
  }

  /** Truncates lanes known to be in int range to int, keeps the low byte of each. */
  private static void store(FloatVector y, byte[] out, int at) {
    y.convertShape(VectorOperators.F2I, FI, 0)
        .convertShape(VectorOperators.I2B, FB, 0)
        .reinterpretAsBytes()
        .intoArray(out, at);
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
          DoubleVector x = DoubleVector.fromArray(D, a, i);
          DoubleVector y = x.blend(0d, x.compare(VectorOperators.GT, 0d).not());
          store(y.blend(255d, y.compare(VectorOperators.GE, 255d)), out, off + i);
        }
      }
      case CAST -> {
        for (int i = 0; i < bound; i += D.length()) {
          DoubleVector x = DoubleVector.fromArray(D, a, i);
          VectorMask<Double> inInt = x.compare(VectorOperators.GT, -2147483649d)
              .and(x.compare(VectorOperators.LT, 2147483648d));
          store(x.blend(0d, inInt.not()), out, off + i);
        }
      }
    }
    ScalarKernels.toUint8(a, bound, len, op, out, off);
  }

  private static void store(DoubleVector y, byte[] out, int at) {
    y.convertShape(VectorOperators.D2I, DI, 0)
        .convertShape(VectorOperators.I2B, DB, 0)
        .reinterpretAsBytes()
        .intoArray(out, at);
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
      // finite x in range: f is in [0, n + 1), so the conversion is exact truncation
      IntVector k = (IntVector) f.convertShape(VectorOperators.F2I, FI, 0);
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

  @Override
  public void binIndices(double[] x, int len, Bins64 bins, boolean skipNonFinite, int[] slot) {
    double first = bins.first();
    double norm = bins.norm();
    double[] lower = bins.lower();
    double[] upper = bins.upper();
    int n = bins.n();
    int bound = D.loopBound(len);
    for (int i = 0; i < bound; i += D.length()) {
      DoubleVector v = DoubleVector.fromArray(D, x, i);
      DoubleVector f = v.sub(first).mul(norm);
      if (skipNonFinite) {
        f = f.blend(0d, v.abs().compare(VectorOperators.LE, Double.MAX_VALUE).not());
      }
      IntVector k = (IntVector) f.convertShape(VectorOperators.D2I, DI, 0);
      k = k.blend(n - 1, k.compare(VectorOperators.EQ, n)).lanewise(VectorOperators.AND, SLOTS - 1);
      k.intoArray(slot, i);
      DoubleVector lo = DoubleVector.fromArray(D, lower, 0, slot, i);
      DoubleVector hi = DoubleVector.fromArray(D, upper, 0, slot, i);
      VectorMask<Double> below = v.compare(VectorOperators.LT, lo);
      VectorMask<Double> above = v.compare(VectorOperators.GE, hi).andNot(below);
      k = k.sub(1, below.cast(DI)).add(1, above.cast(DI)).lanewise(VectorOperators.AND, SLOTS - 1);
      if (skipNonFinite) {
        k = k.blend(SKIPPED, v.abs().compare(VectorOperators.LE, Double.MAX_VALUE).not().cast(DI));
      }
      k.intoArray(slot, i);
    }
    ScalarKernels.binIndices(x, bound, len, bins, skipNonFinite, slot);
  }

  // ------------------------------------------------------------------------------------
  // point clouds
  // ------------------------------------------------------------------------------------

  @Override
  public boolean allValid(double[] v, int count, int columns) {
    int total = count * columns;
    // the rules repeat every lcm(columns, lanes) values: one pair of bound vectors per phase
    int lanes = D.length();
    int period = lcm(columns, lanes);
    int phases = period / lanes;
    double[] lo = new double[period];
    double[] hi = new double[period];
    for (int j = 0; j < period; j++) {
      int col = j % columns;
      lo[j] = col < 3 ? -Double.MAX_VALUE : columns == 4 ? 1 : 0;
      hi[j] = col < 3 ? Double.MAX_VALUE : columns == 4 ? 14 : 255;
    }
    int bound = total - total % period;
    VectorMask<Double> bad = D.maskAll(false);
    for (int i = 0; i < bound; i += period) {
      for (int p = 0; p < phases; p++) {
        DoubleVector x = DoubleVector.fromArray(D, v, i + p * lanes);
        // NaN fails both compares, as in the scalar rule
        VectorMask<Double> in = x.compare(VectorOperators.GE, DoubleVector.fromArray(D, lo, p * lanes))
            .and(x.compare(VectorOperators.LE, DoubleVector.fromArray(D, hi, p * lanes)));
        bad = bad.or(in.not());
      }
    }
    if (bad.anyTrue()) {
      return false;
    }
    if (columns == 4 && !categoriesWhole(v, count)) {
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
