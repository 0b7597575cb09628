package dev.mediaflow.transform.histogram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.transform.MediaRejectedException;
import dev.mediaflow.transform.image.PixelArray;
import dev.mediaflow.transform.image.PixelArray.Dtype;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Behaviour of {@link NumpyHistogram} beyond the numpy fixtures: arguments, buffers, policy. */
class NumpyHistogramTest {

  @Test
  void shouldBinLikeNumpyWithTheLastBinClosed() {
    // Given: np.histogram([1., 2, 3, 4], bins=3) -> [1, 1, 2], [1., 2., 3., 4.]
    ByteBuffer data = float64(1, 2, 3, 4);

    // When
    Histogram h = NumpyHistogram.compute(Dtype.FLOAT64, data, 4, 3, NonFinitePolicy.REJECT);

    // Then
    assertThat(h.counts()).containsExactly(1, 1, 2);
    assertThat(h.edges()).containsExactly(1, 2, 3, 4);
    assertThat(h.toJson()).isEqualTo(
        "{\"_type\": \"histogram\", \"values\": [1, 1, 2], \"bins\": [1.0, 2.0, 3.0, 4.0]}");
  }

  @Test
  void shouldFlattenAnArrayOfAnyShape() {
    // Given: int16 [[1, 2], [3, 4], [4, 4]] -> [1, 1, 4], [1., 2., 3., 4.]
    ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    for (short v : new short[] {1, 2, 3, 4, 4, 4}) {
      b.putShort(v);
    }
    PixelArray array = PixelArray.of(Dtype.INT16, new long[] {3, 2}, b.array());

    // When
    Histogram h = NumpyHistogram.compute(array, 3, NonFinitePolicy.REJECT);

    // Then
    assertThat(h.counts()).containsExactly(1, 1, 4);
    assertThat(h.edges()).containsExactly(1, 2, 3, 4);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 513, 1000})
  void shouldRejectBinCountsOutside1To512(int bins) {
    // Given
    ByteBuffer data = float64(1, 2);

    // When / Then
    assertThatThrownBy(() -> NumpyHistogram.compute(Dtype.FLOAT64, data, 2, bins,
            NonFinitePolicy.REJECT))
        .isInstanceOf(HistogramRejectedException.class)
        .isInstanceOf(MediaRejectedException.class)
        .hasMessage("num_bins must be between 1 and 512, got " + bins);
  }

  @Test
  void shouldRejectDataWhoseByteCountDoesNotMatch() {
    // Given
    ByteBuffer data = ByteBuffer.allocate(10);

    // When / Then
    assertThatThrownBy(() -> NumpyHistogram.compute(Dtype.FLOAT32, data, 3,
            NumpyHistogram.DEFAULT_NUM_BINS, NonFinitePolicy.REJECT))
        .isInstanceOf(HistogramRejectedException.class)
        .hasMessage("histogram data has 10 bytes but 3 float32 values need 12");
  }

  @Test
  void shouldReadFromThePositionAndLeaveTheCallersBufferAlone() {
    // Given: big-endian buffer whose bytes are little-endian values, position 8
    ByteBuffer le = float64(99, 1, 2, 3, 4);
    ByteBuffer data = ByteBuffer.allocateDirect(40).order(ByteOrder.BIG_ENDIAN);
    data.put(le.duplicate()).position(8);
    ByteBuffer readOnly = data.asReadOnlyBuffer().order(ByteOrder.BIG_ENDIAN);

    // When
    Histogram h = NumpyHistogram.compute(Dtype.FLOAT64, readOnly, 4, 3, NonFinitePolicy.REJECT);

    // Then
    assertThat(h.counts()).containsExactly(1, 1, 2);
    assertThat(readOnly.position()).isEqualTo(8);
    assertThat(readOnly.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
  }

  @Test
  void shouldRejectNanWithNumpysReasonByDefault() {
    // Given
    ByteBuffer data = float32(1f, Float.NaN, 2f);

    // When / Then
    assertThatThrownBy(() -> NumpyHistogram.compute(Dtype.FLOAT32, data, 3, 64,
            NonFinitePolicy.REJECT))
        .isInstanceOf(HistogramRejectedException.class)
        .hasMessage("autodetected range of [nan, nan] is not finite");
  }

  @Test
  void shouldDropNonFiniteValuesAndCountThemWhenAsked() {
    // Given
    ByteBuffer withJunk = float64(1, Double.NaN, 2, Double.POSITIVE_INFINITY, 3, 4,
        Double.NEGATIVE_INFINITY);
    ByteBuffer clean = float64(1, 2, 3, 4);

    // When
    Histogram dropped = NumpyHistogram.compute(Dtype.FLOAT64, withJunk, 7, 3, NonFinitePolicy.DROP);
    Histogram plain = NumpyHistogram.compute(Dtype.FLOAT64, clean, 4, 3, NonFinitePolicy.REJECT);

    // Then
    assertThat(dropped.droppedNonFinite()).isEqualTo(3);
    assertThat(dropped.counts()).containsExactly(plain.counts());
    assertThat(dropped.edges()).containsExactly(plain.edges());
    assertThat(dropped.toString()).contains("dropped 3 non-finite");
  }

  @Test
  void shouldDropNothingFromFiniteOrIntegerData() {
    // Given
    ByteBuffer floats = float32(0.5f, -2f);
    ByteBuffer bytes = ByteBuffer.wrap(new byte[] {1, 2, (byte) 200});

    // When
    Histogram f = NumpyHistogram.compute(Dtype.FLOAT32, floats, 2, 4, NonFinitePolicy.DROP);
    Histogram u = NumpyHistogram.compute(Dtype.UINT8, bytes, 3, 4, NonFinitePolicy.DROP);

    // Then
    assertThat(f.droppedNonFinite()).isZero();
    assertThat(f.edgesFloat32()).isTrue();
    assertThat(u.droppedNonFinite()).isZero();
    assertThat(u.edgesFloat32()).isFalse();
    assertThat(u.counts()).containsExactly(2, 0, 0, 1);
  }

  @Test
  void shouldGiveAnEmptyHistogramOverZeroToOneWhenEverythingIsDropped() {
    // Given
    ByteBuffer data = float32(Float.NaN, Float.NEGATIVE_INFINITY);

    // When
    Histogram h = NumpyHistogram.compute(Dtype.FLOAT32, data, 2, 2, NonFinitePolicy.DROP);

    // Then
    assertThat(h.counts()).containsExactly(0, 0);
    assertThat(h.edges()).containsExactly(0, 0.5, 1);
    assertThat(h.droppedNonFinite()).isEqualTo(2);
  }

  @Test
  void shouldKeepANegativeZeroMaximumAsTheLastEdge() {
    // Given: np.histogram([-1., -0.], bins=2) -> edges [-1., -0.5, -0.]
    ByteBuffer data = float64(-1, -0.0);

    // When
    Histogram h = NumpyHistogram.compute(Dtype.FLOAT64, data, 2, 2, NonFinitePolicy.REJECT);

    // Then
    assertThat(Double.doubleToRawLongBits(h.edges()[2])).isEqualTo(Long.MIN_VALUE);
    assertThat(h.toJson()).endsWith("\"bins\": [-1.0, -0.5, -0.0]}");
  }

  @Test
  void shouldPreferPositiveZeroWhenTheMaximumIsBothZeros() {
    // Given: numpy's choice here depends on its SIMD layout; ours is documented: +0.0
    ByteBuffer f64 = float64(-1, -0.0, 0.0, -0.0);
    ByteBuffer f32 = float32(-1f, -0.0f, 0.0f, -0.0f);

    // When
    Histogram h64 = NumpyHistogram.compute(Dtype.FLOAT64, f64, 4, 2, NonFinitePolicy.REJECT);
    Histogram h32 = NumpyHistogram.compute(Dtype.FLOAT32, f32, 4, 2, NonFinitePolicy.REJECT);

    // Then
    assertThat(Double.doubleToRawLongBits(h64.edges()[2])).isZero();
    assertThat(Double.doubleToRawLongBits(h32.edges()[2])).isZero();
    assertThat(h64.counts()).containsExactly(1, 3);
  }

  @Test
  void shouldExplainWhyARangeNumpyCannotBinIsRejected() {
    // Given
    ByteBuffer data = float64(-1e308, 1e308);

    // When / Then
    assertThatThrownBy(() -> NumpyHistogram.compute(Dtype.FLOAT64, data, 2, 64,
            NonFinitePolicy.REJECT))
        .isInstanceOf(HistogramRejectedException.class)
        .hasMessage("values in [-1e+308, 1e+308] cannot be split into 64 bins: the width of the"
            + " range overflows float64 (numpy.histogram fails here with IndexError: index"
            + " -9223372036854775808 is out of bounds for axis 0 with size 65)");
  }

  @Test
  void shouldHandleTheEmptyArrayOfEveryDtype() {
    for (Dtype dtype : Dtype.values()) {
      // When
      Histogram h = NumpyHistogram.compute(dtype, ByteBuffer.allocate(0), 0, 4,
          NonFinitePolicy.REJECT);

      // Then
      assertThat(h.counts()).as(dtype.numpyName()).containsExactly(0, 0, 0, 0);
      assertThat(h.edges()).as(dtype.numpyName()).containsExactly(0, 0.25, 0.5, 0.75, 1);
      assertThat(h.edgesFloat32()).isEqualTo(dtype == Dtype.FLOAT32);
    }
  }

  @Test
  void shouldCountEveryElementOfALargeSixteenBitArray() {
    // Given: exercises the per-value tally path with every uint16 value once plus extras
    int count = 65536 + 3;
    ByteBuffer b = ByteBuffer.allocate(count * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int v = 0; v < 65536; v++) {
      b.putShort((short) v);
    }
    b.putShort((short) 0).putShort((short) 65535).putShort((short) 65535);

    // When
    Histogram h = NumpyHistogram.compute(Dtype.UINT16, b.flip(), count, 512,
        NonFinitePolicy.REJECT);

    // Then: 65535 / 512 is not whole, yet the counts add up and the extremes land at the ends
    assertThat(java.util.Arrays.stream(h.counts()).sum()).isEqualTo(count);
    assertThat(h.counts()[0]).isEqualTo(129);
    assertThat(h.counts()[511]).isEqualTo(130);
    assertThat(h.edges()[512]).isEqualTo(65535.0);
  }

  @Test
  void shouldConvertUnsigned64BitDifferencesWithCorrectRounding() {
    // Given
    long[] samples = {-1L, Long.MIN_VALUE, Long.MIN_VALUE + 1, -1025L, -1024L, -1023L,
        0x8000000000000400L, 0x8000000000000C00L, 0xFFFFFFFFFFFFF400L, 0x8000000000000401L};
    long z = 7;
    for (int i = 0; i < 2000; i++) {
      z = HistogramFixtures.mix(z + 0x9E3779B97F4A7C15L);
      long u = i < samples.length ? samples[i] : z;

      // When
      double d = NumpyHistogram.unsignedToDouble(u);

      // Then
      BigDecimal exact = new BigDecimal(new BigInteger(Long.toUnsignedString(u)));
      double expected = exact.round(new MathContext(60, RoundingMode.HALF_EVEN)).doubleValue();
      assertThat(d).as(Long.toUnsignedString(u)).isEqualTo(expected);
    }
  }

  @Test
  void shouldParseThePolicySetting() {
    // When / Then
    assertThat(NonFinitePolicy.fromName("drop")).isEqualTo(NonFinitePolicy.DROP);
    assertThat(NonFinitePolicy.fromName(" Reject ")).isEqualTo(NonFinitePolicy.REJECT);
    assertThatThrownBy(() -> NonFinitePolicy.fromName("ignore"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'ignore'");
  }

  private static ByteBuffer float64(double... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      b.putDouble(v);
    }
    return b.flip();
  }

  private static ByteBuffer float32(float... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.flip();
  }
}
