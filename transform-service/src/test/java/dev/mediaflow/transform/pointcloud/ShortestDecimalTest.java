package dev.mediaflow.transform.pointcloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The number formatting behind pts.json. Beyond these tests, the implementation was checked
 * offline against Java 25's {@code Double.toString}/{@code Float.toString} (Schubfach): 20
 * million doubles of all kinds and every one of the 2^31 positive finite floats give the same
 * decimal, except where Java insists on two digits (4.9E-324 vs 5e-324).
 */
class ShortestDecimalTest {

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "255;255", "0.1;0.1", "-15.269245470863748;-15.269245470863748", "2e23;2e+23", "1e23;1e+23",
      "1e21;1e+21", "1e20;100000000000000000000", "123456789012345680000;123456789012345680000",
      "1.5e-7;1.5e-7", "1e-7;1e-7", "0.000001;0.000001", "0.0000015;0.0000015", "5e-324;5e-324",
      "1.7976931348623157e308;1.7976931348623157e+308", "-0.0;-0", "0;0", "100;100",
      "0.30000000000000004;0.30000000000000004", "2566.571924017235;2566.571924017235",
      "9007199254740993;9007199254740992", "1e16;10000000000000000", "12.5;12.5", "-1e-300;-1e-300"})
  void shouldWriteDoublesTheWayJavaScriptDoes(double value, String expected) {
    assertThat(ShortestDecimal.toString(value)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "0.1;0.1", "1.3;1.3", "2566.571924017235;2566.572", "16777216;16777216", "1.4e-45;1e-45",
      "3.4028235e38;3.4028235e+38", "1e-10;1e-10", "-0.3;-0.3"})
  void shouldWriteFloatsWithTheirOwnShortestDigits(float value, String expected) {
    assertThat(ShortestDecimal.toString(value)).isEqualTo(expected);
  }

  @Test
  void shouldMatchPythonReprForFloat64() {
    for (JsonNode c : PointCloudFixtures.json("shortest.json").get("float64")) {
      // Given
      double v = Double.longBitsToDouble(Long.parseUnsignedLong(c.get("bits").asText(), 16));

      // When
      String mine = ShortestDecimal.toString(v);

      // Then
      BigDecimal expected = new BigDecimal(c.get("shortest").asText());
      assertThat(new BigDecimal(mine)).as("%s (python %s)", mine, expected).isEqualByComparingTo(expected);
    }
  }

  @Test
  void shouldMatchNumpyShortestForFloat32() {
    for (JsonNode c : PointCloudFixtures.json("shortest.json").get("float32")) {
      // Given
      float v = Float.intBitsToFloat(Integer.parseUnsignedInt(c.get("bits").asText(), 16));

      // When
      String mine = ShortestDecimal.toString(v);

      // Then
      BigDecimal expected = new BigDecimal(c.get("shortest").asText());
      assertThat(new BigDecimal(mine)).as("%s (numpy %s)", mine, expected).isEqualByComparingTo(expected);
    }
  }

  @Test
  void shouldBeTheCorrectlyRoundedDecimalOfFewestDigits() {
    // Given random bit patterns, normal and subnormal; the reference is brute force: the
    // fewest significant digits p whose correctly rounded p-digit decimal reads back exactly
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 2_000; i++) {
      long bits = i % 5 == 0 ? random.nextLong(1, 1L << 52) : random.nextLong(1, 0x7FF0000000000000L);
      double v = Double.longBitsToDouble(bits);

      // When
      String mine = ShortestDecimal.toString(v);

      // Then
      assertThat(Double.parseDouble(mine)).as(mine).isEqualTo(v);
      assertThat(new BigDecimal(mine)).as("%s for bits %x", mine, bits).isEqualByComparingTo(bruteForce(v));
    }
  }

  @Test
  void shouldRoundTripRandomFloats() {
    SplittableRandom random = new SplittableRandom(6);
    for (int i = 0; i < 200_000; i++) {
      float v = Float.intBitsToFloat(random.nextInt(1, 0x7F800000));
      String mine = ShortestDecimal.toString(v);
      if (Float.parseFloat(mine) != v) {
        throw new AssertionError(mine + " does not read back to " + v);
      }
    }
  }

  @Test
  void shouldComputeTheLogarithmHelpersExactly() {
    // over the exponents of doubles and a margin: 2^e built up exactly, step by step
    BigDecimal up = BigDecimal.ONE;
    BigDecimal down = BigDecimal.ONE;
    BigDecimal half = new BigDecimal("0.5");
    BigDecimal threeQuarters = new BigDecimal("0.75");
    for (int e = 0; e <= 1200; e++) {
      for (int sign : new int[] {1, -1}) {
        BigDecimal pow2 = sign > 0 ? up : down;
        int x = sign * e;
        assertThat(ShortestDecimal.flog10pow2(x)).as("flog10pow2(%d)", x).isEqualTo(floorLog10(pow2));
        assertThat(ShortestDecimal.flog10threeQuartersPow2(x)).as("3/4 at %d", x)
            .isEqualTo(floorLog10(pow2.multiply(threeQuarters)));
      }
      up = up.add(up);
      down = down.multiply(half);
    }
    for (int e = -400; e <= 400; e++) {
      assertThat(ShortestDecimal.flog2pow10(e)).as("flog2pow10(%d)", e)
          .isEqualTo((int) Math.floor(e * (Math.log(10) / Math.log(2))));
    }
  }

  private static int floorLog10(BigDecimal x) {
    // x = unscaled * 10^-scale, so log10 x = digits(unscaled) - 1 - scale + log10(1.xxx)
    return x.precision() - x.scale() - 1;
  }

  private static BigDecimal bruteForce(double v) {
    BigDecimal exact = new BigDecimal(v);
    for (int p = 1; p <= 17; p++) {
      BigDecimal d = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (Double.parseDouble(d.toString()) == v) {
        return d;
      }
    }
    throw new AssertionError("no decimal of 17 digits for " + v);
  }
}
