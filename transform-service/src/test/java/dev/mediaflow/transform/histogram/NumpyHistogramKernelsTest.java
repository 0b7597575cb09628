package dev.mediaflow.transform.histogram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediaflow.transform.histogram.HistogramFixtures.Input;
import dev.mediaflow.transform.image.PixelArray.Dtype;
import dev.mediaflow.transform.simd.Kernels;
import dev.mediaflow.transform.simd.VectorKernels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link NumpyHistogram} with the vector kernels against the scalar ones: the same counts,
 * edge bits and dropped count, or the same rejection, on every numpy fixture (whose expected
 * values {@link NumpyHistogramFixturesTest} checks with the active kernels) and on random
 * inputs with NaN, infinities, duplicates at the edges and odd lengths.
 */
class NumpyHistogramKernelsTest {

  private static final Kernels SCALAR = Kernels.scalar();
  private static final Kernels VECTOR = new VectorKernels();

  @BeforeAll
  static void needsVectorsOf256BitsOrMore() {
    assumeTrue(new VectorKernels().supported(),
        "skipped: this CPU's vectors are narrower than 256 bits, the vector kernels never run here");
  }

  static Stream<Arguments> fixtures() {
    return HistogramFixtures.cases().stream().map(c -> Arguments.of(c.get("name").asText(), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void shouldGiveTheSameAnswerWithBothKernelsOnEveryFixture(String name, JsonNode c) {
    // Given
    Input in = HistogramFixtures.input(c);
    int bins = c.get("numBins").asInt();
    NonFinitePolicy policy = NonFinitePolicy.fromName(c.get("policy").asText());

    // When
    String scalar = outcome(in.dtype(), in.data(), in.count(), bins, policy, SCALAR);
    String vector = outcome(in.dtype(), in.data(), in.count(), bins, policy, VECTOR);

    // Then
    assertThat(vector).isEqualTo(scalar);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void shouldGiveTheSameAnswerWithBothKernelsOnRandomInputs(int seed) {
    Random r = new Random(seed);
    int[] binChoices = {1, 2, 3, 7, 64, 100, 511, 512};
    for (int trial = 0; trial < 60; trial++) {
      int count = trial % 5 == 0 ? r.nextInt(20) : 1 + r.nextInt(trial % 2 == 0 ? 300 : 9000);
      int bins = binChoices[r.nextInt(binChoices.length)];
      boolean f32 = r.nextBoolean();
      int kind = r.nextInt(5);
      ByteBuffer data = f32 ? float32(r, count, kind) : float64(r, count, kind);
      Dtype dtype = f32 ? Dtype.FLOAT32 : Dtype.FLOAT64;
      for (NonFinitePolicy policy : NonFinitePolicy.values()) {
        String scalar = outcome(dtype, data, count, bins, policy, SCALAR);
        assertThat(outcome(dtype, data, count, bins, policy, VECTOR))
            .as("%s × %d, %d bins, kind %d, %s", dtype, count, bins, kind, policy).isEqualTo(scalar);
      }
    }
  }

  /** Counts, edge bits and dropped count, or the rejection's reason, as one comparable text. */
  private static String outcome(Dtype dtype, ByteBuffer data, int count, int bins,
      NonFinitePolicy policy, Kernels kernels) {
    try {
      Histogram h = NumpyHistogram.compute(dtype, data, count, bins, policy, kernels);
      StringBuilder s = new StringBuilder("counts ");
      for (long c : h.counts()) {
        s.append(c).append(' ');
      }
      s.append("edges ");
      for (double e : h.edges()) {
        s.append(Long.toHexString(Double.doubleToRawLongBits(e))).append(' ');
      }
      return s.append("f32 ").append(h.edgesFloat32()).append(" dropped ")
          .append(h.droppedNonFinite()).toString();
    } catch (HistogramRejectedException e) {
      return "rejected: " + e.reason();
    }
  }

  private static ByteBuffer float32(Random r, int count, int kind) {
    ByteBuffer b = ByteBuffer.allocate(4 * count).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      b.putFloat((float) value(r, kind));
    }
    return b.flip();
  }

  private static ByteBuffer float64(Random r, int count, int kind) {
    ByteBuffer b = ByteBuffer.allocate(8 * count).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      b.putDouble(value(r, kind));
    }
    return b.flip();
  }

  /** 0 normal, 1 few distinct values, 2 with NaN/inf, 3 wide magnitudes, 4 a constant. */
  private static double value(Random r, int kind) {
    return switch (kind) {
      case 0 -> r.nextGaussian();
      case 1 -> r.nextInt(9) * 0.1 - 0.3;
      case 2 -> r.nextInt(50) == 0 ? new double[] {Double.NaN, Double.POSITIVE_INFINITY,
          Double.NEGATIVE_INFINITY}[r.nextInt(3)] : r.nextGaussian() * 7;
      case 3 -> r.nextGaussian() * Math.pow(10, r.nextInt(30) - 15);
      default -> 2.5;
    };
  }
}
