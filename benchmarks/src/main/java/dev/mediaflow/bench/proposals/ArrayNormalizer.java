package dev.mediaflow.bench.proposals;

import dev.mediaflow.transform.image.PixelArray;
import dev.mediaflow.transform.image.PixelNormalizer;
import dev.mediaflow.transform.image.PixelNormalizer.Branch;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * PROPOSAL PROTOTYPE, not used by the pipeline: what {@link PixelNormalizer} could do to be
 * faster, kept here so {@link ProposalBench} can measure it against the real kernel and
 * prove it gives the same bytes (BENCHMARKS.md, "Proposals"). Same rules, three changes:
 * <ol>
 *   <li>floats: one bulk copy of the little-endian bytes into a {@code float[]}/{@code double[]}
 *       (a memcpy on x86), then plain array loops, which C2 can unroll and vectorize; loops
 *       over {@code ByteBuffer.getFloat(p)} are not vectorized by C2 in JDK 17;</li>
 *   <li>floats: min/max with {@link Math#min}/{@link Math#max}, which propagate NaN exactly as
 *       numpy's {@code min()}/{@code max()} do, so no separate NaN flag; clip as
 *       {@code (int) Math.min(Math.max(x, 0), 255)} (NaN → 0, as now);</li>
 *   <li>the warning reuses the min/max of the first pass when there is no NaN, instead of a
 *       third pass over the data; uint8 needs no min/max at all: the branch only depends on
 *       whether some value is above 1, found at the first such byte, and uint8 values are
 *       never outside [0, 255], so it is a scan that usually stops at once plus a copy.</li>
 * </ol>
 * Only float32, float64 and uint8 with normalize = true are prototyped.
 */
public final class ArrayNormalizer {
  private ArrayNormalizer() {}

  public static byte[] toUint8(PixelArray array, List<String> warnings) {
    byte[] out = new byte[array.elementCount()];
    switch (array.dtype()) {
      case FLOAT32 -> float32(array.data(), out.length, warnings, out);
      case FLOAT64 -> float64(array.data(), out.length, warnings, out);
      case UINT8 -> uint8(array.data(), out.length, out);
      default -> throw new UnsupportedOperationException("prototype covers float32, float64, uint8");
    }
    return out;
  }

  static Branch float32(ByteBuffer b, int n, List<String> warnings, byte[] out) {
    float[] a = new float[n];
    b.asFloatBuffer().get(0, a, 0, n); // b is little-endian: a straight copy on x86
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      lo = Math.min(lo, a[i]);
      hi = Math.max(hi, a[i]);
    }
    Branch branch = branch(lo, hi);
    switch (branch) {
      case UNIT -> {
        for (int i = 0; i < n; i++) {
          out[i] = (byte) (int) (a[i] * 255f);
        }
      }
      case SIGNED_UNIT -> {
        for (int i = 0; i < n; i++) {
          out[i] = (byte) (int) (127.5f * (a[i] + 1f));
        }
      }
      default -> {
        for (int i = 0; i < n; i++) {
          out[i] = (byte) (int) Math.min(Math.max(a[i], 0f), 255f);
        }
      }
    }
    if (Float.isNaN(lo) || lo < 0f || hi > 255f) {
      warnings.add(Float.isNaN(lo) ? "(NaN: rescan as PixelNormalizer does)"
          : "pixel values outside [0, 255] (min=" + lo + ", max=" + hi + "); clipped to [0, 255]");
    }
    return branch;
  }

  static Branch float64(ByteBuffer b, int n, List<String> warnings, byte[] out) {
    double[] a = new double[n];
    b.asDoubleBuffer().get(0, a, 0, n);
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      lo = Math.min(lo, a[i]);
      hi = Math.max(hi, a[i]);
    }
    Branch branch = branch(lo, hi);
    switch (branch) {
      case UNIT -> {
        for (int i = 0; i < n; i++) {
          out[i] = (byte) (int) (a[i] * 255d);
        }
      }
      case SIGNED_UNIT -> {
        for (int i = 0; i < n; i++) {
          out[i] = (byte) (int) (127.5d * (a[i] + 1d));
        }
      }
      default -> {
        for (int i = 0; i < n; i++) {
          out[i] = (byte) (int) Math.min(Math.max(a[i], 0d), 255d);
        }
      }
    }
    if (Double.isNaN(lo) || lo < 0d || hi > 255d) {
      warnings.add(Double.isNaN(lo) ? "(NaN: rescan as PixelNormalizer does)"
          : "pixel values outside [0, 255] (min=" + lo + ", max=" + hi + "); clipped to [0, 255]");
    }
    return branch;
  }

  static Branch uint8(ByteBuffer b, int n, byte[] out) {
    int i = 0;
    while (i < n && (b.get(i) & 0xFF) <= 1) {
      i++;
    }
    if (i < n) { // a value above 1: the clip branch, the identity on uint8
      b.get(0, out, 0, n);
      return Branch.CLIP;
    }
    for (int j = 0; j < n; j++) { // every value is 0 or 1
      out[j] = (byte) (b.get(j) * 255);
    }
    return Branch.UNIT;
  }

  private static Branch branch(double lo, double hi) {
    if (0 <= lo && hi <= 1) {
      return Branch.UNIT;
    }
    if (-1 <= lo && hi <= 1) {
      return Branch.SIGNED_UNIT;
    }
    return Branch.CLIP; // NaN too
  }
}
