package dev.mediaflow.transform.image;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The PNG filters with the JDK 17 incubator Vector API, at the CPU's preferred width. Only
 * loaded by {@link PngFilters#active()} when {@code jdk.incubator.vector} is present.
 *
 * <p>Average and Paeth need 9 bits, so a vector of bytes is read as shorts and split into its
 * even bytes ({@code s & 0xff}) and odd bytes ({@code s >>> 8}); each half is filtered in
 * 16-bit lanes (exact, as the scalar ints) and the halves are joined again to write. Scores
 * are summed in 16-bit lanes (at most 2 × 128 per lane and vector), folded into the long
 * sums every {@link #BLOCK} vectors before a lane could overflow. The first {@code bpp}
 * bytes (no left neighbour) and the tail run the scalar code itself.
 */
final class VectorPngFilters implements PngFilters {
  private static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Short> S = ShortVector.SPECIES_PREFERRED;
  private static final int L = B.length();
  /** Vectors per fold of the 16-bit score lanes: 127 × 256 &lt; 32768. */
  private static final int BLOCK = 127;
  private static final short LOW = 0xff;
  private static final ShortVector ZERO = ShortVector.zero(S);
  private static final ShortVector WRAP = ShortVector.broadcast(S, (short) 256);

  /** Public for the reflective creation in {@link PngFilters.Choice}; use {@link PngFilters#active()}. */
  public VectorPngFilters() {}

  @Override
  public String name() {
    return "vector";
  }

  @Override
  public void scores(byte[] px, int row, byte[] up, int u, int stride, int bpp, long[] sums) {
    int head = Math.min(bpp, stride);
    ScalarPngFilters.scores(px, row, up, u, bpp, 0, head, sums);
    int i = head;
    int last = stride - L;
    while (i <= last) {
      ShortVector s0 = ZERO;
      ShortVector s1 = ZERO;
      ShortVector s2 = ZERO;
      ShortVector s3 = ZERO;
      ShortVector s4 = ZERO;
      for (int n = 0; n < BLOCK && i <= last; n++, i += L) {
        ShortVector xv = shorts(px, row + i);
        ShortVector av = shorts(px, row + i - bpp);
        ShortVector bv = shorts(up, u + i);
        ShortVector cv = shorts(up, u + i - bpp);
        // written out twice, not as a loop over the halves: C2 keeps straight-line vectors in registers
        ShortVector x = xv.and(LOW);
        ShortVector a = av.and(LOW);
        ShortVector b = bv.and(LOW);
        ShortVector c = cv.and(LOW);
        s0 = s0.add(score(x));
        s1 = s1.add(score(x.sub(a)));
        s2 = s2.add(score(x.sub(b)));
        s3 = s3.add(score(x.sub(a.add(b).lanewise(VectorOperators.LSHR, 1))));
        s4 = s4.add(score(x.sub(paeth(a, b, c))));
        x = xv.lanewise(VectorOperators.LSHR, 8);
        a = av.lanewise(VectorOperators.LSHR, 8);
        b = bv.lanewise(VectorOperators.LSHR, 8);
        c = cv.lanewise(VectorOperators.LSHR, 8);
        s0 = s0.add(score(x));
        s1 = s1.add(score(x.sub(a)));
        s2 = s2.add(score(x.sub(b)));
        s3 = s3.add(score(x.sub(a.add(b).lanewise(VectorOperators.LSHR, 1))));
        s4 = s4.add(score(x.sub(paeth(a, b, c))));
      }
      sums[0] += total(s0);
      sums[1] += total(s1);
      sums[2] += total(s2);
      sums[3] += total(s3);
      sums[4] += total(s4);
    }
    ScalarPngFilters.scores(px, row, up, u, bpp, i, stride, sums);
  }

  @Override
  public void write(int type, byte[] px, int row, byte[] up, int u, int stride, int bpp, byte[] out, int o) {
    int head = Math.min(bpp, stride);
    int last = stride - L;
    int i = head;
    switch (type) {
      case 0 -> System.arraycopy(px, row, out, o, stride);
      case 1 -> {
        ScalarPngFilters.sub(px, row, bpp, 0, head, out, o);
        for (; i <= last; i += L) {
          bytes(px, row + i).sub(bytes(px, row + i - bpp)).intoArray(out, o + i);
        }
        ScalarPngFilters.sub(px, row, bpp, i, stride, out, o);
      }
      case 2 -> {
        for (i = 0; i <= last; i += L) {
          bytes(px, row + i).sub(bytes(up, u + i)).intoArray(out, o + i);
        }
        ScalarPngFilters.up(px, row, up, u, i, stride, out, o);
      }
      case 3 -> {
        ScalarPngFilters.average(px, row, up, u, bpp, 0, head, out, o);
        for (; i <= last; i += L) {
          // floor((a + b) / 2) in 8 bits: (a & b) + ((a ^ b) >>> 1), LSHR being unsigned in byte lanes
          ByteVector a = bytes(px, row + i - bpp);
          ByteVector b = bytes(up, u + i);
          ByteVector avg = a.and(b).add(a.lanewise(VectorOperators.XOR, b).lanewise(VectorOperators.LSHR, 1));
          bytes(px, row + i).sub(avg).intoArray(out, o + i);
        }
        ScalarPngFilters.average(px, row, up, u, bpp, i, stride, out, o);
      }
      case 4 -> {
        ScalarPngFilters.paeth(px, row, up, u, bpp, 0, head, out, o);
        for (; i <= last; i += L) {
          ShortVector xv = shorts(px, row + i);
          ShortVector av = shorts(px, row + i - bpp);
          ShortVector bv = shorts(up, u + i);
          ShortVector cv = shorts(up, u + i - bpp);
          ShortVector even = xv.sub(paeth(av.and(LOW), bv.and(LOW), cv.and(LOW)));
          ShortVector odd = xv.lanewise(VectorOperators.LSHR, 8).sub(paeth(av.lanewise(VectorOperators.LSHR, 8),
              bv.lanewise(VectorOperators.LSHR, 8), cv.lanewise(VectorOperators.LSHR, 8)));
          even.and(LOW).or(odd.lanewise(VectorOperators.LSHL, 8)).reinterpretAsBytes().intoArray(out, o + i);
        }
        ScalarPngFilters.paeth(px, row, up, u, bpp, i, stride, out, o);
      }
      default -> throw new IllegalArgumentException("filter type " + type);
    }
  }

  private static ByteVector bytes(byte[] a, int offset) {
    return ByteVector.fromArray(B, a, offset);
  }

  private static ShortVector shorts(byte[] a, int offset) {
    return ByteVector.fromArray(B, a, offset).reinterpretAsShorts();
  }

  /** |(byte) f| per lane, for f whose low byte is the filtered byte: min(f & 0xff, 256 - (f & 0xff)). */
  private static ShortVector score(ShortVector f) {
    ShortVector v = f.and(LOW);
    return v.min(WRAP.sub(v));
  }

  /** Branch-free Paeth on values 0..255: p - a = b - c, p - b = a - c, p - c = (b - c) + (a - c). */
  private static ShortVector paeth(ShortVector a, ShortVector b, ShortVector c) {
    ShortVector bc = b.sub(c);
    ShortVector ac = a.sub(c);
    ShortVector pa = bc.abs();
    ShortVector pb = ac.abs();
    ShortVector pc = bc.add(ac).abs();
    VectorMask<Short> notA = pb.compare(VectorOperators.LT, pa).or(pc.compare(VectorOperators.LT, pa));
    ShortVector bOrC = b.blend(c, pc.compare(VectorOperators.LT, pb));
    return a.blend(bOrC, notA);
  }

  /** Sum of the 16-bit lanes, each in [0, 32768), through 32-bit lanes so no partial sum overflows. */
  private static long total(ShortVector s) {
    IntVector pairs = s.reinterpretAsInts();
    return pairs.and(0xffff).add(pairs.lanewise(VectorOperators.LSHR, 16)).reduceLanes(VectorOperators.ADD);
  }
}
