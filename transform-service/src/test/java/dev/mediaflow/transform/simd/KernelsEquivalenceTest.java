package dev.mediaflow.transform.simd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The vector kernels against the scalar ones, bit for bit, on random inputs laced with the
 * values that break naive SIMD: NaN, infinities, signed zeros, values at and just beside the
 * rules' limits, and every length from 0 to a few vectors plus odd tails.
 */
class KernelsEquivalenceTest {

  private static final Kernels SCALAR = Kernels.scalar();
  private static final VectorKernels VECTOR = new VectorKernels();

  @BeforeAll
  static void needsVectorsOf256BitsOrMore() {
    assumeTrue(new VectorKernels().supported(),
        "skipped: this CPU's vectors are narrower than 256 bits, the vector kernels never run here");
  }
  private static final int[] LENGTHS = lengths();
  private static final float[] SPECIAL32 = {Float.NaN, Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY, 0f, -0f, 1f, -1f, 255f, 254.99998f, 255.00002f, 0.99999994f,
      1.0000001f, -1.0000001f, 2147483520f, 2147483648f, -2147483648f, -2147483904f, 3e9f,
      -3e9f, 256f, -0.5f, -1.5f, 300.2f, 65535.9f, Float.MIN_VALUE, Float.MAX_VALUE,
      -Float.MAX_VALUE, Float.intBitsToFloat(0x7FC00001), Float.intBitsToFloat(0xFFC00000),
      // NaNs at both ends of the positive payloads: the vector clip tells them from +inf by bits
      Float.intBitsToFloat(0x7F800001), Float.intBitsToFloat(0x7FFFFFFF)};
  private static final double[] SPECIAL64 = {Double.NaN, Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY, 0d, -0d, 1d, -1d, 255d, Math.nextDown(255d), Math.nextUp(255d),
      Math.nextDown(1d), Math.nextUp(1d), Math.nextDown(-1d), 2147483647.5d, 2147483648d,
      -2147483648.9d, -2147483649d, 3e9, -3e9, 256d, -0.5d, -1.5d, 300.2d, 65535.9d,
      Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 1e300, 14d, 14.5d, 0.5d,
      Double.longBitsToDouble(0xFFF8000000000001L), Double.longBitsToDouble(0x7FF0000000000001L),
      Double.longBitsToDouble(0x7FFFFFFFFFFFFFFFL)};

  private static int[] lengths() {
    int[] l = new int[80 + 4];
    for (int i = 0; i < 80; i++) {
      l[i] = i;
    }
    l[80] = 127;
    l[81] = 4095;
    l[82] = 4096;
    l[83] = 4099;
    return l;
  }

  @Test
  void shouldPickTheVectorKernelsWhenTheBuildAddsTheModule() {
    // Given the build's JVM option --add-modules jdk.incubator.vector, on a CPU with >= 256-bit vectors
    assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).isPresent();

    // When / Then
    assertThat(Kernels.Choice.choose("auto").name()).isEqualTo(VECTOR.supported() ? "vector" : "scalar");
    assertThat(Kernels.Choice.choose("scalar").name()).isEqualTo("scalar");
    assertThat(Kernels.Choice.choose(" Vector ").name()).isEqualTo(VECTOR.supported() ? "vector" : "scalar");
    assertThatThrownBy(() -> Kernels.Choice.choose("avx")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mediaflow.simd");
  }

  @Test
  void shouldFindTheSameFloat32KeyRange() {
    Random r = new Random(1);
    for (int round = 0; round < 20; round++) {
      for (int len : LENGTHS) {
        float[] a = floats(r, len, round % 4);
        int[] s = {Integer.MAX_VALUE, Integer.MIN_VALUE};
        int[] v = s.clone();
        SCALAR.keyRange(a, len, s);
        VECTOR.keyRange(a, len, v);
        assertThat(v).as("len %d round %d", len, round).containsExactly(s);
      }
    }
  }

  @Test
  void shouldFindTheSameFloat64KeyRange() {
    Random r = new Random(2);
    for (int round = 0; round < 20; round++) {
      for (int len : LENGTHS) {
        double[] a = doubles(r, len, round % 4);
        long[] s = {Long.MAX_VALUE, Long.MIN_VALUE};
        long[] v = s.clone();
        SCALAR.keyRange(a, len, s);
        VECTOR.keyRange(a, len, v);
        assertThat(v).as("len %d round %d", len, round).containsExactly(s);
      }
    }
  }

  @Test
  void shouldConvertFloat32ToTheSameBytesUnderEveryRule() {
    Random r = new Random(3);
    for (ToUint8 op : ToUint8.values()) {
      for (int round = 0; round < 12; round++) {
        for (int len : LENGTHS) {
          // each rule's own domain, and (for CLIP and CAST) everything, specials included
          float[] a = switch (op) {
            case UNIT -> unit32(r, len, 0f);
            case SIGNED_UNIT -> unit32(r, len, -1f);
            default -> floats(r, len, round % 4);
          };
          int off = round % 3;
          byte[] s = new byte[len + off];
          byte[] v = new byte[len + off];
          SCALAR.toUint8(a, len, op, s, off);
          VECTOR.toUint8(a, len, op, v, off);
          assertThat(v).as("%s len %d round %d", op, len, round).containsExactly(s);
        }
      }
    }
  }

  @Test
  void shouldConvertFloat64ToTheSameBytesUnderEveryRule() {
    Random r = new Random(4);
    for (ToUint8 op : ToUint8.values()) {
      for (int round = 0; round < 12; round++) {
        for (int len : LENGTHS) {
          double[] a = switch (op) {
            case UNIT -> unit64(r, len, 0d);
            case SIGNED_UNIT -> unit64(r, len, -1d);
            default -> doubles(r, len, round % 4);
          };
          int off = round % 3;
          byte[] s = new byte[len + off];
          byte[] v = new byte[len + off];
          SCALAR.toUint8(a, len, op, s, off);
          VECTOR.toUint8(a, len, op, v, off);
          assertThat(v).as("%s len %d round %d", op, len, round).containsExactly(s);
        }
      }
    }
  }

  @Test
  void shouldFindTheSameByteAboveOne() {
    Random r = new Random(5);
    for (int len : LENGTHS) {
      for (int at = -1; at < len; at += Math.max(1, len / 7)) {
        byte[] a = new byte[len + 3];
        for (int i = 0; i < a.length; i++) {
          a[i] = (byte) r.nextInt(2);
        }
        if (at >= 0) {
          a[1 + at] = (byte) (2 + r.nextInt(254));
        }
        a[0] = (byte) 0x80; // outside the range asked about
        a[a.length - 1] = (byte) 0xFF;
        assertThat(VECTOR.anyAboveOne(a, 1, len)).as("len %d at %d", len, at)
            .isEqualTo(SCALAR.anyAboveOne(a, 1, len)).isEqualTo(at >= 0);
      }
    }
  }

  @Test
  void shouldTreatIntegersAlike() {
    Random r = new Random(7);
    int[] special = {Integer.MIN_VALUE, Integer.MAX_VALUE, -1, 0, 1, 255, 256, -256, 65535, -129};
    for (ToUint8 op : ToUint8.values()) {
      for (int len : LENGTHS) {
        int[] a = new int[len];
        for (int i = 0; i < len; i++) {
          a[i] = switch (op) {
            case UNIT -> r.nextInt(2);
            case SIGNED_UNIT -> r.nextInt(3) - 1;
            default -> r.nextInt(3) == 0 ? special[r.nextInt(special.length)] : r.nextInt(1000) - 300;
          };
        }
        byte[] s = new byte[len];
        byte[] v = new byte[len];
        SCALAR.toUint8(a, len, op, s, 0);
        VECTOR.toUint8(a, len, op, v, 0);
        assertThat(v).as("%s len %d", op, len).containsExactly(s);
        int[] sr = {Integer.MAX_VALUE, Integer.MIN_VALUE};
        int[] vr = sr.clone();
        SCALAR.intRange(a, len, sr);
        VECTOR.intRange(a, len, vr);
        assertThat(vr).containsExactly(sr);
      }
    }
  }

  @Test
  void shouldJudgePointCloudsAlike() {
    Random r = new Random(6);
    double[] bad = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -1e-300, -1d,
        255.00000001d, 256d, 0d, 14.5d, 15d, 0.5d, 1e308, -0d, 1d, 14d, 255d};
    int checked = 0;
    for (int columns : new int[] {3, 4, 6}) {
      for (int rows = 0; rows < 40; rows++) {
        for (int trial = 0; trial < 12; trial++) {
          double[] v = cloud(r, rows + 1, columns);
          boolean planted = trial > 0 && rows > 0;
          if (planted) {
            v[r.nextInt(rows * columns)] = bad[r.nextInt(bad.length)];
          }
          boolean scalar = SCALAR.allValid(v, rows, columns);
          assertThat(VECTOR.allValid(v, rows, columns)).as("%d×%d trial %d", rows, columns, trial)
              .isEqualTo(scalar);
          checked += scalar ? 0 : 1;
        }
      }
    }
    assertThat(checked).as("invalid clouds among the trials").isGreaterThan(300);
  }

  /** Valid rows (plus one spare row the check must ignore, set invalid). */
  private static double[] cloud(Random r, int rows, int columns) {
    double[] v = new double[rows * columns];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < columns; j++) {
        v[i * columns + j] = j < 3 ? r.nextGaussian() * 1e3 : columns == 4 ? 1 + r.nextInt(14)
            : r.nextInt(3) == 0 ? r.nextInt(256) : r.nextDouble() * 255;
      }
    }
    for (int j = 0; j < columns; j++) {
      v[(rows - 1) * columns + j] = Double.NaN;
    }
    return v;
  }

  /** Random values of {@code kind}: 0 uniform, 1 normal, 2 wide magnitudes, 3 with specials. */
  static float[] floats(Random r, int len, int kind) {
    float[] a = new float[len];
    for (int i = 0; i < len; i++) {
      a[i] = switch (kind) {
        case 0 -> r.nextFloat() * 300f - 20f;
        case 1 -> (float) r.nextGaussian();
        case 2 -> (float) (r.nextGaussian() * Math.pow(10, r.nextInt(20)));
        default -> r.nextInt(4) == 0 ? SPECIAL32[r.nextInt(SPECIAL32.length)] : r.nextFloat() * 600f - 300f;
      };
    }
    return a;
  }

  static double[] doubles(Random r, int len, int kind) {
    double[] a = new double[len];
    for (int i = 0; i < len; i++) {
      a[i] = switch (kind) {
        case 0 -> r.nextDouble() * 300d - 20d;
        case 1 -> r.nextGaussian();
        case 2 -> r.nextGaussian() * Math.pow(10, r.nextInt(40));
        default -> r.nextInt(4) == 0 ? SPECIAL64[r.nextInt(SPECIAL64.length)] : r.nextDouble() * 600d - 300d;
      };
    }
    return a;
  }

  /** Values in [lo, 1], the ends and their neighbours included. */
  private static float[] unit32(Random r, int len, float lo) {
    float[] edges = {lo, 1f, 0f, -0f, 0.99999994f, Math.nextUp(lo), 0.5f, 1f / 255f};
    float[] a = new float[len];
    for (int i = 0; i < len; i++) {
      a[i] = r.nextInt(5) == 0 ? Math.max(lo, edges[r.nextInt(edges.length)])
          : lo + r.nextFloat() * (1f - lo);
    }
    return a;
  }

  private static double[] unit64(Random r, int len, double lo) {
    double[] edges = {lo, 1d, 0d, -0d, Math.nextDown(1d), Math.nextUp(lo), 0.5d, 1d / 255d};
    double[] a = new double[len];
    for (int i = 0; i < len; i++) {
      a[i] = r.nextInt(5) == 0 ? Math.max(lo, edges[r.nextInt(edges.length)])
          : lo + r.nextDouble() * (1d - lo);
    }
    return a;
  }
}
