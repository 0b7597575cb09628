package dev.mediaflow.transform.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shortcuts of {@link PixelNormalizer}: uint8 decided by a scan for a value above 1
 * instead of min/max, and float warnings built from the first pass's min/max unless NaN or
 * a signed zero needs the second pass. Byte-exactness against numpy is
 * {@link ImageProcessorNumpyFixturesTest}'s job; these pin the edge cases of the shortcuts.
 */
class PixelNormalizerTest {

  @Test
  void shouldScaleUint8ZerosAndOnesBy255() {
    // Given: lo = 0, hi = 1, so numpy takes the unit branch
    PixelArray array = PixelArray.of(PixelArray.Dtype.UINT8, new long[] {2, 2}, new byte[] {0, 1, 1, 0});
    List<String> warnings = new ArrayList<>();
    byte[] out = new byte[4];

    // When
    PixelNormalizer.Branch branch = PixelNormalizer.convert(array, true, warnings, out);

    // Then
    assertThat(branch).isEqualTo(PixelNormalizer.Branch.UNIT);
    assertThat(ImageFixtures.unsigned(out)).containsExactly(0, 255, 255, 0);
    assertThat(warnings).isEmpty();
  }

  @Test
  void shouldCopyUint8WhenTheOnlyValueAboveOneIsTheLast() {
    // Given: the scan has to reach the last byte to find the value above 1
    PixelArray array = PixelArray.of(PixelArray.Dtype.UINT8, new long[] {5}, new byte[] {0, 1, 1, 0, 2});
    List<String> warnings = new ArrayList<>();
    byte[] out = new byte[5];

    // When
    PixelNormalizer.Branch branch = PixelNormalizer.convert(array, true, warnings, out);

    // Then: clip(0, 255) is the identity on uint8
    assertThat(branch).isEqualTo(PixelNormalizer.Branch.CLIP);
    assertThat(ImageFixtures.unsigned(out)).containsExactly(0, 1, 1, 0, 2);
    assertThat(warnings).isEmpty();
  }

  @Test
  void shouldCopyUint8WithFullRangeWithoutWarning() {
    // Given
    PixelArray array = PixelArray.of(PixelArray.Dtype.UINT8, new long[] {4}, new byte[] {(byte) 255, 0, 1, (byte) 128});
    List<String> warnings = new ArrayList<>();

    // When
    byte[] u8 = PixelNormalizer.toUint8(array, true, warnings);

    // Then
    assertThat(ImageFixtures.unsigned(u8)).containsExactly(255, 0, 1, 128);
    assertThat(warnings).isEmpty();
  }

  @Test
  void shouldCastUint8ZerosAndOnesUnchangedWithoutNormalization() {
    // Given
    PixelArray array = PixelArray.of(PixelArray.Dtype.UINT8, new long[] {3}, new byte[] {0, 1, 0});
    byte[] out = new byte[3];

    // When
    PixelNormalizer.Branch branch = PixelNormalizer.convert(array, false, new ArrayList<>(), out);

    // Then
    assertThat(branch).isEqualTo(PixelNormalizer.Branch.CAST);
    assertThat(ImageFixtures.unsigned(out)).containsExactly(0, 1, 0);
  }

  @Test
  void shouldNameFloat32MinAndMaxAsFloatsInTheWarning() {
    // Given: min/max come from the first pass here (no NaN, no zero)
    PixelArray array = PixelArray.of(PixelArray.Dtype.FLOAT32, new long[] {3},
        ImageFixtures.float32(-2.1f, 0.5f, 300.7f));
    List<String> warnings = new ArrayList<>();

    // When
    PixelNormalizer.toUint8(array, true, warnings);

    // Then: Float.toString, not the double the float widens to (-2.0999999046325684)
    assertThat(warnings).containsExactly(
        "pixel values outside [0, 255] (min=-2.1, max=300.7); clipped to [0, 255]");
  }

  @Test
  void shouldNameNegativeZeroAsMinWhateverTheOrderOfTheZeros() {
    // Given: both zeros and a value above 255; plain compares keep the first zero seen
    for (double[] values : new double[][] {{0.0, -0.0, 300.0}, {-0.0, 0.0, 300.0}}) {
      PixelArray array = PixelArray.of(PixelArray.Dtype.FLOAT64, new long[] {3}, ImageFixtures.float64(values));
      List<String> warnings = new ArrayList<>();

      // When
      PixelNormalizer.toUint8(array, true, warnings);

      // Then
      assertThat(warnings).containsExactly(
          "pixel values outside [0, 255] (min=-0.0, max=300.0); clipped to [0, 255]");
    }
  }

  @Test
  void shouldNamePositiveZeroAsMaxWhateverTheOrderOfTheZeros() {
    // Given: both zeros and a value below 0
    for (float[] values : new float[][] {{-0.0f, 0.0f, -3f}, {0.0f, -0.0f, -3f}}) {
      PixelArray array = PixelArray.of(PixelArray.Dtype.FLOAT32, new long[] {3}, ImageFixtures.float32(values));
      List<String> warnings = new ArrayList<>();

      // When
      PixelNormalizer.toUint8(array, false, warnings);

      // Then
      assertThat(warnings).containsExactly("pixel values outside [0, 255] (min=-3.0, max=0.0); "
          + "cast to uint8 without normalization (truncated, wrapped modulo 256)");
    }
  }

  @Test
  void shouldLeaveNaNOutOfMinAndMaxAndCountIt() {
    // Given
    PixelArray array = PixelArray.of(PixelArray.Dtype.FLOAT64, new long[] {4},
        ImageFixtures.float64(-1.5, Double.NaN, 2.0, Double.NaN));
    List<String> warnings = new ArrayList<>();

    // When
    byte[] u8 = PixelNormalizer.toUint8(array, true, warnings);

    // Then
    assertThat(ImageFixtures.unsigned(u8)).containsExactly(0, 0, 2, 0);
    assertThat(warnings).containsExactly("pixel values outside [0, 255] (min=-1.5, max=2.0, 2 NaN); "
        + "clipped to [0, 255]; NaN became 0");
  }
}
