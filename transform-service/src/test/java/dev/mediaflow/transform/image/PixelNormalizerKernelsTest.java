package dev.mediaflow.transform.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediaflow.transform.simd.Kernels;
import dev.mediaflow.transform.simd.VectorKernels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link PixelNormalizer} with the vector kernels against the scalar ones: the same bytes,
 * branch and warnings on every numpy image fixture (whose bytes
 * {@link ImageProcessorNumpyFixturesTest} checks against numpy) and on random arrays of every
 * dtype with NaN, infinities, signed zeros, values at the branch limits and odd lengths.
 */
class PixelNormalizerKernelsTest {

  private static final Kernels SCALAR = Kernels.scalar();
  private static final Kernels VECTOR = new VectorKernels();

  @BeforeAll
  static void needsVectorsOf256BitsOrMore() {
    assumeTrue(new VectorKernels().supported(),
        "skipped: this CPU's vectors are narrower than 256 bits, the vector kernels never run here");
  }

  static Stream<Arguments> fixtures() {
    return StreamSupport.stream(ImageFixtures.manifest().get("cases").spliterator(), false)
        .map(c -> Arguments.of(c.get("name").asText(), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void shouldGiveTheSameBytesWithBothKernelsOnEveryFixture(String name, JsonNode c) {
    // Given
    PixelArray input = ImageFixtures.npy(c.get("input").asText()).toPixelArray();

    // When / Then, with and without normalization
    for (boolean normalize : new boolean[] {true, false}) {
      assertThat(outcome(input, normalize, VECTOR)).isEqualTo(outcome(input, normalize, SCALAR));
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6})
  void shouldGiveTheSameBytesWithBothKernelsOnRandomArrays(int seed) {
    Random r = new Random(seed);
    for (int trial = 0; trial < 150; trial++) {
      PixelArray.Dtype dtype = PixelArray.Dtype.values()[trial % PixelArray.Dtype.values().length];
      int n = trial % 7 == 0 ? r.nextInt(5) : 1 + r.nextInt(trial % 2 == 0 ? 200 : 9000);
      int kind = r.nextInt(6);
      PixelArray a = PixelArray.of(dtype, new long[] {n}, bytes(r, dtype, n, kind));
      for (boolean normalize : new boolean[] {true, false}) {
        assertThat(outcome(a, normalize, VECTOR)).as("%s × %d kind %d normalize %s", dtype, n, kind, normalize)
            .isEqualTo(outcome(a, normalize, SCALAR));
      }
    }
  }

  private static String outcome(PixelArray a, boolean normalize, Kernels kernels) {
    List<String> warnings = new ArrayList<>();
    byte[] out = new byte[a.elementCount()];
    PixelNormalizer.Branch branch = PixelNormalizer.convert(a, normalize, warnings, out, kernels);
    return branch + " " + warnings + " " + java.util.HexFormat.of().formatHex(out);
  }

  /** 0 unit, 1 signed unit, 2 clip range, 3 specials mixed in, 4 huge, 5 zeros and ones. */
  private static byte[] bytes(Random r, PixelArray.Dtype dtype, int n, int kind) {
    ByteBuffer b = ByteBuffer.allocate(n * dtype.byteWidth()).order(ByteOrder.LITTLE_ENDIAN);
    double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0d, 0d,
        1d, -1d, 255d, 256d, -2147483649d, 2147483648d, 3e9, 300.2, -1.5};
    for (int i = 0; i < n; i++) {
      double v = switch (kind) {
        case 0 -> r.nextDouble();
        case 1 -> r.nextDouble() * 2 - 1;
        case 2 -> r.nextDouble() * 270 - 7.5;
        case 3 -> r.nextInt(5) == 0 ? specials[r.nextInt(specials.length)] : r.nextDouble() * 2 - 1;
        case 4 -> r.nextGaussian() * 1e10;
        default -> r.nextInt(2) * (r.nextInt(3) == 0 ? -1 : 1);
      };
      put(b, dtype, v);
    }
    return b.array();
  }

  private static void put(ByteBuffer b, PixelArray.Dtype dtype, double v) {
    switch (dtype) {
      case FLOAT32 -> b.putFloat((float) v);
      case FLOAT64 -> b.putDouble(v);
      case UINT8, INT8 -> b.put((byte) (long) v);
      case UINT16, INT16 -> b.putShort((short) (long) v);
      case INT32 -> b.putInt((int) (long) v);
      case INT64 -> b.putLong((long) v);
    }
  }
}
