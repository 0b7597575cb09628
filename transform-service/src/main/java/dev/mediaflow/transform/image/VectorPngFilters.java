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
 * <p>Sub, Up and Average are computed in byte lanes (Average's halving without a 9th bit).
 * Paeth's distances need 9 bits, so a vector of bytes is read as shorts and split into its even
 * bytes ({@code s & 0xff}) and odd bytes ({@code s >>> 8}); each half is filtered in 16-bit
 * lanes (exact, as the scalar ints) and the halves are joined again. Scores are summed in
 * 16-bit lanes (at most 2 × 128 per lane and vector), folded into the long sums every
 * {@link #BLOCK} vectors before a lane could overflow. The first {@code bpp}
 * bytes (no left neighbour) and the tail run the scalar code itself.
 */
final class VectorPngFilters implements PngFilters {
  private static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Short> S = ShortVector.SPECIES_PREFERRED;
  private static final int L = B.length();
  /** Vectors per fold of the 16-bit score lanes: 127 × 256 &lt; 32768. */
  private static final int BLOCK = 127;
  private static final short LOW = 0xff;

  /** Public for the reflective creation in {@link PngFilters.Choice}; use {@link PngFilters#active()}. */
  public VectorPngFilters() {}

  @Override
  public String name() {
    return "vector";
  }

  @Override
  public void scores(byte[] px, int row, byte[] up, int u, int stride, int bpp, long[] sums) {
    int head = Math.min(bpp, stride);
    int end = head + (stride - head) / L * L;
    ScalarPngFilters.scores(px, row, up, u, bpp, 0, head, sums);
    // Pieces of at most BLOCK vectors, so no 16-bit lane overflows. How the loops are written
    // matters to C2 in JDK 17, which otherwise boxes vectors (allocates) on every iteration:
    // two loops, not one with all five filters (it stops inlining the Vector API's methods:
    // NodeCountInliningCutoff); small helpers written out; accumulators started with zero(S),
    // not a constant vector, and carried by a single loop, not a nested one. 4× faster.
    for (int from = head; from < end; from += BLOCK * L) {
      int to = Math.min(end, from + BLOCK * L);
      simpleScores(px, row, up, u, bpp, from, to, sums);
      paethScores(px, row, up, u, bpp, from, to, sums);
    }
    ScalarPngFilters.scores(px, row, up, u, bpp, end, stride, sums);
  }

  /**
   * Adds None, Sub, Up and Average's scores of the bytes [from, end), at most BLOCK vectors:
   * filtered in byte lanes (wrapping, as PNG does), then |f| in byte lanes (|-128| stays 0x80,
   * 128 read unsigned) and the two bytes of each 16-bit lane added.
   */
  private static void simpleScores(byte[] px, int row, byte[] up, int u, int bpp, int from, int end, long[] sums) {
    ShortVector s0 = ShortVector.zero(S);
    ShortVector s1 = ShortVector.zero(S);
    ShortVector s2 = ShortVector.zero(S);
    ShortVector s3 = ShortVector.zero(S);
    for (int i = from; i < end; i += L) {
      ByteVector x = bytes(px, row + i);
      ByteVector a = bytes(px, row + i - bpp);
      ByteVector b = bytes(up, u + i);
      ByteVector avg = a.and(b).add(a.lanewise(VectorOperators.XOR, b).lanewise(VectorOperators.LSHR, 1));
      // byteScores() written out (see scores())
      ShortVector p0 = x.abs().reinterpretAsShorts();
      ShortVector p1 = x.sub(a).abs().reinterpretAsShorts();
      ShortVector p2 = x.sub(b).abs().reinterpretAsShorts();
      ShortVector p3 = x.sub(avg).abs().reinterpretAsShorts();
      s0 = s0.add(p0.and(LOW)).add(p0.lanewise(VectorOperators.LSHR, 8));
      s1 = s1.add(p1.and(LOW)).add(p1.lanewise(VectorOperators.LSHR, 8));
      s2 = s2.add(p2.and(LOW)).add(p2.lanewise(VectorOperators.LSHR, 8));
      s3 = s3.add(p3.and(LOW)).add(p3.lanewise(VectorOperators.LSHR, 8));
    }
    sums[0] += total(s0);
    sums[1] += total(s1);
    sums[2] += total(s2);
    sums[3] += total(s3);
  }

  /** Adds Paeth's score of the bytes [from, end), at most BLOCK vectors (paeth() inlined). */
  private static void paethScores(byte[] px, int row, byte[] up, int u, int bpp, int from, int end, long[] sums) {
    ShortVector s4 = ShortVector.zero(S);
    for (int i = from; i < end; i += L) {
      ShortVector xv = shorts(px, row + i);
      ShortVector av = shorts(px, row + i - bpp);
      ShortVector bv = shorts(up, u + i);
      ShortVector cv = shorts(up, u + i - bpp);
      ShortVector x = xv.and(LOW);
      ShortVector a = av.and(LOW);
      ShortVector b = bv.and(LOW);
      ShortVector c = cv.and(LOW);
      ShortVector bc = b.sub(c);
      ShortVector ac = a.sub(c);
      ShortVector pa = bc.abs();
      ShortVector pb = ac.abs();
      ShortVector pc = bc.add(ac).abs();
      ShortVector predicted = a.blend(b.blend(c, pc.compare(VectorOperators.LT, pb)),
          pb.compare(VectorOperators.LT, pa).or(pc.compare(VectorOperators.LT, pa)));
      ShortVector even = x.sub(predicted);
      x = xv.lanewise(VectorOperators.LSHR, 8);
      a = av.lanewise(VectorOperators.LSHR, 8);
      b = bv.lanewise(VectorOperators.LSHR, 8);
      c = cv.lanewise(VectorOperators.LSHR, 8);
      bc = b.sub(c);
      ac = a.sub(c);
      pa = bc.abs();
      pb = ac.abs();
      pc = bc.add(ac).abs();
      predicted = a.blend(b.blend(c, pc.compare(VectorOperators.LT, pb)),
          pb.compare(VectorOperators.LT, pa).or(pc.compare(VectorOperators.LT, pa)));
      // rejoin the halves' low bytes and score them as bytes, as the other filters
      ShortVector joined = even.and(LOW).or(x.sub(predicted).lanewise(VectorOperators.LSHL, 8));
      s4 = s4.add(byteScores(joined.reinterpretAsBytes()));
    }
    sums[4] += total(s4);
  }

  @Override
  public void write(int type, byte[] px, int row, byte[] up, int u, int stride, int bpp, byte[] out, int o) {
    int head = Math.min(bpp, stride);
    int end = head + (stride - head) / L * L;
    switch (type) {
      case 0 -> System.arraycopy(px, row, out, o, stride);
      case 1 -> {
        ScalarPngFilters.sub(px, row, bpp, 0, head, out, o);
        for (int i = head; i < end; i += L) {
          bytes(px, row + i).sub(bytes(px, row + i - bpp)).intoArray(out, o + i);
        }
        ScalarPngFilters.sub(px, row, bpp, end, stride, out, o);
      }
      case 2 -> {
        int upEnd = stride / L * L;
        for (int i = 0; i < upEnd; i += L) {
          bytes(px, row + i).sub(bytes(up, u + i)).intoArray(out, o + i);
        }
        ScalarPngFilters.up(px, row, up, u, upEnd, stride, out, o);
      }
      case 3 -> {
        ScalarPngFilters.average(px, row, up, u, bpp, 0, head, out, o);
        writeAverage(px, row, up, u, bpp, head, end, out, o);
        ScalarPngFilters.average(px, row, up, u, bpp, end, stride, out, o);
      }
      case 4 -> {
        ScalarPngFilters.paeth(px, row, up, u, bpp, 0, head, out, o);
        writePaeth(px, row, up, u, bpp, head, end, out, o);
        ScalarPngFilters.paeth(px, row, up, u, bpp, end, stride, out, o);
      }
      default -> throw new IllegalArgumentException("filter type " + type);
    }
  }

  private static void writeAverage(byte[] px, int row, byte[] up, int u, int bpp, int from, int end, byte[] out,
      int o) {
    for (int i = from; i < end; i += L) {
      // floor((a + b) / 2) in 8 bits: (a & b) + ((a ^ b) >>> 1), LSHR being unsigned in byte lanes
      ByteVector a = bytes(px, row + i - bpp);
      ByteVector b = bytes(up, u + i);
      ByteVector avg = a.and(b).add(a.lanewise(VectorOperators.XOR, b).lanewise(VectorOperators.LSHR, 1));
      bytes(px, row + i).sub(avg).intoArray(out, o + i);
    }
  }

  private static void writePaeth(byte[] px, int row, byte[] up, int u, int bpp, int from, int end, byte[] out,
      int o) {
    for (int i = from; i < end; i += L) {
      ShortVector xv = shorts(px, row + i);
      ShortVector av = shorts(px, row + i - bpp);
      ShortVector bv = shorts(up, u + i);
      ShortVector cv = shorts(up, u + i - bpp);
      ShortVector even = xv.sub(paeth(av.and(LOW), bv.and(LOW), cv.and(LOW)));
      ShortVector odd = xv.lanewise(VectorOperators.LSHR, 8).sub(paeth(av.lanewise(VectorOperators.LSHR, 8),
        bv.lanewise(VectorOperators.LSHR, 8), cv.lanewise(VectorOperators.LSHR, 8)));
      even.and(LOW).or(odd.lanewise(VectorOperators.LSHL, 8)).reinterpretAsBytes().intoArray(out, o + i);
    }
  }

  private static ByteVector bytes(byte[] a, int offset) {
    return ByteVector.fromArray(B, a, offset);
  }

  private static ShortVector shorts(byte[] a, int offset) {
    return ByteVector.fromArray(B, a, offset).reinterpretAsShorts();
  }

  /** |f| of each byte lane read as signed, summed in pairs into 16-bit lanes (each at most 2 × 128). */
  private static ShortVector byteScores(ByteVector f) {
    ShortVector pairs = f.abs().reinterpretAsShorts();
    return pairs.and(LOW).add(pairs.lanewise(VectorOperators.LSHR, 8));
  }

  /**
   * Branch-free Paeth on values 0..255: p - a = b - c, p - b = a - c, p - c = (b - c) + (a - c);
   * a unless b or c is strictly nearer, then b unless c is strictly nearer (the scalar ties).
   */
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
