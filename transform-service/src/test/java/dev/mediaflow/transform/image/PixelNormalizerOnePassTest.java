package dev.mediaflow.transform.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.transform.simd.Kernels;
import dev.mediaflow.transform.simd.ScalarKernels;
import dev.mediaflow.transform.simd.VectorKernels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one-pass paths of {@link PixelNormalizer}: uint8 copied without a min/max pass (through
 * {@code toUint8} and {@code convert}, from heap, offset and direct buffers), and float arrays
 * converted chunk by chunk with the branch guessed from the range so far, where a value late in
 * the array changes the branch. Expected bytes come from the rule itself (numpy's global
 * min/max, then one rule for every element), written out here independently of the chunking.
 * Runs with the scalar kernels and, where the CPU has 256-bit vectors, the vector ones.
 */
class PixelNormalizerOnePassTest {

  static Stream<Kernels> kernels() {
    VectorKernels vector = new VectorKernels();
    return vector.supported() ? Stream.of(Kernels.scalar(), vector) : Stream.of(Kernels.scalar());
  }

  // ------------------------------------------------------------------------------------
  // uint8
  // ------------------------------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("kernels")
  void shouldScaleLongUint8ArrayOfZerosAndOnesBy255(Kernels kernels) {
    // Given: 1000 values, all 0 or 1: numpy's max is 1, the unit branch (x 255)
    byte[] in = new byte[1000];
    for (int i = 0; i < in.length; i++) {
      in[i] = (byte) (i % 3 == 0 ? 1 : 0);
    }

    // When / Then
    byte[] expected = new byte[in.length];
    for (int i = 0; i < in.length; i++) {
      expected[i] = (byte) (in[i] == 1 ? 255 : 0);
    }
    assertUint8(kernels, in, true, expected, PixelNormalizer.Branch.UNIT);
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void shouldCopyUint8WhenASingleTwoIsTheVeryLastByte(Kernels kernels) {
    // Given: zeros and ones, then one 2 at the end, at lengths around the vector widths
    for (int n : new int[] {1, 2, 15, 16, 17, 31, 32, 33, 63, 64, 65, 1000, 4097}) {
      byte[] in = new byte[n];
      for (int i = 0; i < n - 1; i++) {
        in[i] = (byte) (i % 2);
      }
      in[n - 1] = 2;

      // When / Then: max is 2, so clip(0, 255), the identity
      assertUint8(kernels, in, true, in.clone(), PixelNormalizer.Branch.CLIP);
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void shouldHandleEmptyAndOneElementUint8Arrays(Kernels kernels) {
    assertUint8(kernels, new byte[0], true, new byte[0], PixelNormalizer.Branch.UNIT);
    assertUint8(kernels, new byte[] {0}, true, new byte[] {0}, PixelNormalizer.Branch.UNIT);
    assertUint8(kernels, new byte[] {1}, true, new byte[] {(byte) 255}, PixelNormalizer.Branch.UNIT);
    assertUint8(kernels, new byte[] {2}, true, new byte[] {2}, PixelNormalizer.Branch.CLIP);
    assertUint8(kernels, new byte[] {(byte) 255}, true, new byte[] {(byte) 255}, PixelNormalizer.Branch.CLIP);
    assertUint8(kernels, new byte[] {1}, false, new byte[] {1}, PixelNormalizer.Branch.CAST);
  }

  /** Every entry point and buffer kind gives {@code expected} for {@code in}. */
  private static void assertUint8(Kernels kernels, byte[] in, boolean normalize, byte[] expected,
      PixelNormalizer.Branch branch) {
    String what = in.length + " bytes, normalize " + normalize;
    for (ByteBuffer b : buffers(in)) {
      PixelArray array = new PixelArray(PixelArray.Dtype.UINT8, new long[] {in.length}, b);
      List<String> warnings = new ArrayList<>();
      assertThat(PixelNormalizer.toUint8(array, normalize, warnings, kernels)).as(what).isEqualTo(expected);
      byte[] out = new byte[in.length + 2]; // longer than needed: the tail stays untouched
      assertThat(PixelNormalizer.convert(array, normalize, warnings, out, kernels)).as(what).isEqualTo(branch);
      assertThat(Arrays.copyOf(out, in.length)).as(what).isEqualTo(expected);
      assertThat(Arrays.copyOfRange(out, in.length, out.length)).as(what).containsOnly(0);
      assertThat(warnings).as(what).isEmpty();
      assertThat(b.position()).as("the input buffer is only read").isZero();
    }
  }

  /** The same bytes wrapped, inside a larger array at an offset, direct, and read-only. */
  private static List<ByteBuffer> buffers(byte[] in) {
    byte[] padded = new byte[in.length + 7];
    Arrays.fill(padded, (byte) 9); // bytes outside the array's slice must not leak in
    System.arraycopy(in, 0, padded, 3, in.length);
    ByteBuffer direct = ByteBuffer.allocateDirect(in.length).put(in).flip();
    return List.of(ByteBuffer.wrap(in.clone()), ByteBuffer.wrap(padded, 3, in.length).slice(),
        direct, ByteBuffer.wrap(in.clone()).asReadOnlyBuffer());
  }

  // ------------------------------------------------------------------------------------
  // float32 and float64: the branch decided late
  // ------------------------------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("kernels")
  void shouldRedoEarlierChunksWhenALateValueChangesTheBranch(Kernels kernels) {
    // Given: values in [0, 1) (the unit branch so far), then, far beyond the first chunk,
    // one value that makes it signed unit, and in another array one that makes it clip
    int n = 20_011; // several 16 KiB chunks of either width, and an odd tail
    for (double late : new double[] {-0.5, 300.25, Double.NaN, -1.0, 1.0}) {
      for (int at : new int[] {0, 4095, 4096, 9000, n - 1}) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          v[i] = (i * 0.618033988749895) % 1.0;
        }
        v[at] = late;

        // When / Then, in both precisions
        assertFloat(kernels, PixelArray.Dtype.FLOAT64, v);
        assertFloat(kernels, PixelArray.Dtype.FLOAT32, v);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void shouldMoveFromUnitToSignedToClipAcrossChunks(Kernels kernels) {
    // Given: the guess changes twice: unit in the first chunk, signed in the second, clip late
    double[] v = new double[12_000];
    for (int i = 0; i < v.length; i++) {
      v[i] = i < 5000 ? (i % 100) / 100.0 : i < 11_000 ? (i % 200) / 100.0 - 1.0 : (i % 300) - 20.0;
    }

    // When / Then
    assertFloat(kernels, PixelArray.Dtype.FLOAT64, v);
    assertFloat(kernels, PixelArray.Dtype.FLOAT32, v);
  }

  private static void assertFloat(Kernels kernels, PixelArray.Dtype dtype, double[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * dtype.byteWidth()).order(ByteOrder.LITTLE_ENDIAN);
    for (double x : v) {
      if (dtype == PixelArray.Dtype.FLOAT32) {
        b.putFloat((float) x);
      } else {
        b.putDouble(x);
      }
    }
    PixelArray array = PixelArray.of(dtype, new long[] {v.length}, b.array());
    byte[] out = new byte[v.length];
    PixelNormalizer.Branch branch = PixelNormalizer.convert(array, true, new ArrayList<>(), out, kernels);
    byte[] expected = dtype == PixelArray.Dtype.FLOAT32 ? byRule32(v) : byRule64(v);
    assertThat(out).as("%s, kernels %s", dtype, kernels.name()).isEqualTo(expected);
    assertThat(branch).isEqualTo(ruleOf(v, dtype));
  }

  /** numpy's rule in float64: the global min/max (NaN if any), then one rule for all. */
  private static byte[] byRule64(double[] v) {
    PixelNormalizer.Branch rule = ruleOf(v, PixelArray.Dtype.FLOAT64);
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      double x = v[i];
      out[i] = switch (rule) {
        case UNIT -> (byte) (int) (x * 255d);
        case SIGNED_UNIT -> (byte) (int) (127.5d * (x + 1d));
        default -> ScalarKernels.clip(x);
      };
    }
    return out;
  }

  /** As {@link #byRule64} in float32 arithmetic. */
  private static byte[] byRule32(double[] v) {
    PixelNormalizer.Branch rule = ruleOf(v, PixelArray.Dtype.FLOAT32);
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      float x = (float) v[i];
      out[i] = switch (rule) {
        case UNIT -> (byte) (int) (x * 255f);
        case SIGNED_UNIT -> (byte) (int) (127.5f * (x + 1f));
        default -> ScalarKernels.clip(x);
      };
    }
    return out;
  }

  private static PixelNormalizer.Branch ruleOf(double[] v, PixelArray.Dtype dtype) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double d : v) {
      double x = dtype == PixelArray.Dtype.FLOAT32 ? (float) d : d;
      if (Double.isNaN(x)) {
        return PixelNormalizer.Branch.CLIP; // numpy's min/max are NaN: every comparison fails
      }
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    if (0 <= lo && hi <= 1) {
      return PixelNormalizer.Branch.UNIT;
    }
    return -1 <= lo && hi <= 1 ? PixelNormalizer.Branch.SIGNED_UNIT : PixelNormalizer.Branch.CLIP;
  }
}
