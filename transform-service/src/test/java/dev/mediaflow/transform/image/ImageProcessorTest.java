package dev.mediaflow.transform.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.transform.MediaRejectedException;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageProcessorTest {

  private static PixelArray uint8(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    byte[] data = new byte[(int) n];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 37 + 11);
    }
    return PixelArray.of(PixelArray.Dtype.UINT8, shape, data);
  }

  private static ImageRejectedException rejection(ImageRequest request) {
    try {
      ImageProcessor.process(request);
    } catch (ImageRejectedException e) {
      return e;
    }
    throw new AssertionError("expected a rejection for " + request);
  }

  // ----------------------------------------------------------------------------- shape

  @Test
  void shouldRejectFiveChannelsAsUnsupportedShape() {
    // Given
    ImageRequest request = ImageRequest.of(uint8(new long[] {5, 7, 5}));

    // When
    ImageRejectedException e = rejection(request);

    // Then
    assertThat(e).isInstanceOf(MediaRejectedException.class);
    assertThat(e.reason()).startsWith("unsupported shape (5, 7, 5)").contains("5 channels");
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 5})
  void shouldRejectOtherChannelCountsAsUnsupportedShape(int channels) {
    // Given
    ImageRequest request = ImageRequest.of(uint8(new long[] {4, 3, channels}));

    // When / Then
    assertThat(rejection(request).reason()).startsWith("unsupported shape (4, 3, " + channels + ")");
  }

  @Test
  void shouldRejectFourDimensionalArrayThatDoesNotSqueeze() {
    // Given: a batch of two RGB images
    ImageRequest request = ImageRequest.of(uint8(new long[] {2, 5, 7, 3}));

    // When
    ImageRejectedException e = rejection(request);

    // Then
    assertThat(e.reason()).startsWith("unsupported shape (2, 5, 7, 3)").contains("2 or 3 dimensions");
  }

  @Test
  void shouldRejectArrayThatSqueezesToOneDimension() {
    // Given
    ImageRequest request = ImageRequest.of(uint8(new long[] {1, 7, 1}));

    // When / Then
    assertThat(rejection(request).reason()).startsWith("unsupported shape (1, 7, 1)").contains("(7,)");
  }

  @Test
  void shouldRejectOneDimensionalArray() {
    // Given
    ImageRequest request = ImageRequest.of(uint8(new long[] {7}));

    // When / Then
    assertThat(rejection(request).reason()).startsWith("unsupported shape (7,)");
  }

  @Test
  void shouldSqueezeFourDimensionalArrayWithTrivialDimensions() {
    // Given
    ImageRequest request = ImageRequest.of(uint8(new long[] {1, 5, 7, 1}));

    // When
    ProcessedImage image = ImageProcessor.process(request);

    // Then
    assertThat(image.mode()).isEqualTo("L");
    assertThat(image.width()).isEqualTo(7);
    assertThat(image.height()).isEqualTo(5);
  }

  @Test
  void shouldRejectChannelsFirstTensorThatIsNotThreeDimensional() {
    // Given
    ImageRequest request = ImageRequest.builder(uint8(new long[] {1, 3, 5, 7})).chwLayout(true).build();

    // When / Then
    assertThat(rejection(request).reason()).startsWith("unsupported shape (1, 3, 5, 7)")
        .contains("channels-first");
  }

  @Test
  void shouldTransposeChannelsFirstTensor() {
    // Given: channel c of pixel (y, x) holds 100*c + 10*y + x
    byte[] data = new byte[3 * 2 * 4];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 2; y++) {
        for (int x = 0; x < 4; x++) {
          data[c * 8 + y * 4 + x] = (byte) (100 * c + 10 * y + x);
        }
      }
    }
    ImageRequest request = ImageRequest.builder(PixelArray.of(PixelArray.Dtype.UINT8, new long[] {3, 2, 4}, data))
        .chwLayout(true).build();

    // When
    ProcessedImage image = ImageProcessor.process(request);

    // Then
    assertThat(image.width()).isEqualTo(4);
    assertThat(image.height()).isEqualTo(2);
    assertThat(image.mode()).isEqualTo("RGB");
    BufferedImage decoded = ImageFixtures.decode(image.encoded());
    assertThat(decoded.getRaster().getPixel(3, 1, (int[]) null)).containsExactly(13, 113, 213);
    assertThat(decoded.getRaster().getPixel(0, 0, (int[]) null)).containsExactly(0, 100, 200);
  }

  @Test
  void shouldRejectEmptyArray() {
    // Given
    ImageRequest request = ImageRequest.of(PixelArray.of(PixelArray.Dtype.FLOAT32, new long[] {0, 7}, new byte[0]));

    // When / Then
    assertThat(rejection(request).reason()).startsWith("empty image");
  }

  // ----------------------------------------------------------------------------- size

  @Test
  void shouldRejectWidthAbove65500() {
    // Given: a 1 x 65,501 grayscale array (65 KB)
    ImageRequest request = ImageRequest.of(uint8(new long[] {1, 65_501}));

    // When
    ImageRejectedException e = rejection(request);

    // Then
    assertThat(e.reason()).contains("65501x1").contains("65,500");
  }

  @Test
  void shouldRejectHeightAbove65500() {
    // Given
    ImageRequest request = ImageRequest.of(uint8(new long[] {65_501, 1}));

    // When / Then
    assertThat(rejection(request).reason()).contains("1x65501").contains("65,500");
  }

  @Test
  void shouldAcceptSideOfExactly65500() {
    // Given
    ImageRequest request = ImageRequest.of(uint8(new long[] {1, 65_500}));

    // When
    ProcessedImage image = ImageProcessor.process(request);

    // Then
    assertThat(image.width()).isEqualTo(65_500);
    assertThat(ImageFixtures.decode(image.encoded()).getWidth()).isEqualTo(65_500);
  }

  // ----------------------------------------------------------------------------- file type

  @ParameterizedTest
  @ValueSource(strings = {"tiff", "gif", "webp", "PNG", ".png", " "})
  void shouldRejectUnsupportedFileType(String fileType) {
    // Given
    ImageRequest request = ImageRequest.builder(uint8(new long[] {5, 7, 3})).fileType(fileType).build();

    // When
    ImageRejectedException e = rejection(request);

    // Then
    assertThat(e.reason()).isEqualTo("unsupported file_type '" + fileType + "' (supported: png, jpg, jpeg, bmp)");
  }

  @Test
  void shouldRejectFileTypeBeforeLookingAtTheArray() {
    // Given: both the file type and the shape are wrong; wandb checks the file type first
    ImageRequest request = ImageRequest.builder(uint8(new long[] {5, 7, 5})).fileType("tiff").build();

    // When / Then
    assertThat(rejection(request).reason()).startsWith("unsupported file_type 'tiff'");
  }

  @ParameterizedTest
  @NullAndEmptySource
  void shouldEncodePngByDefault(String fileType) {
    // Given: like wandb's `file_type or "png"`
    ImageRequest request = ImageRequest.builder(uint8(new long[] {5, 7, 3})).fileType(fileType).build();

    // When
    ProcessedImage image = ImageProcessor.process(request);

    // Then
    assertThat(image.format()).isEqualTo("png");
    assertThat(image.extension()).isEqualTo("png");
    assertThat(image.contentType()).isEqualTo("image/png");
    assertThat(image.encoded()).startsWith(0x89, 'P', 'N', 'G');
    assertThat(image.warnings()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"jpg", "jpeg"})
  void shouldEncodeJpegAndKeepRequestedExtension(String fileType) {
    // Given
    ImageRequest request = ImageRequest.builder(uint8(new long[] {5, 7, 3})).fileType(fileType).build();

    // When
    ProcessedImage image = ImageProcessor.process(request);

    // Then
    assertThat(image.format()).isEqualTo("jpeg");
    assertThat(image.extension()).isEqualTo(fileType);
    assertThat(image.contentType()).isEqualTo("image/jpeg");
    assertThat(image.encoded()).startsWith(0xFF, 0xD8);
    BufferedImage decoded = ImageFixtures.decode(image.encoded());
    assertThat(decoded.getWidth()).isEqualTo(7);
    assertThat(decoded.getHeight()).isEqualTo(5);
    assertThat(decoded.getRaster().getNumBands()).isEqualTo(3);
  }

  @Test
  void shouldProduceIdenticalBytesForIdenticalRequests() {
    // Given
    ImageRequest request = ImageRequest.of(uint8(new long[] {5, 7, 4}));

    // When
    byte[] first = ImageProcessor.process(request).encoded();
    byte[] second = ImageProcessor.process(request).encoded();

    // Then
    assertThat(first).isEqualTo(second);
  }

  // ----------------------------------------------------------------------------- alpha

  @ParameterizedTest
  @ValueSource(strings = {"jpg", "jpeg"})
  void shouldDropAlphaWithWarningWhenGuessedRgbaIsSavedAsJpeg(String fileType) {
    // Given
    ImageRequest request = ImageRequest.builder(uint8(new long[] {5, 7, 4})).fileType(fileType).build();

    // When
    ProcessedImage image = ImageProcessor.process(request);

    // Then
    assertThat(image.mode()).isEqualTo("RGB");
    assertThat(image.warnings()).singleElement().asString()
        .startsWith(fileType + " does not support transparency").contains("alpha channel dropped");
    BufferedImage decoded = ImageFixtures.decode(image.encoded());
    assertThat(decoded.getColorModel().hasAlpha()).isFalse();
    assertThat(decoded.getRaster().getNumBands()).isEqualTo(3);
  }

  @Test
  void shouldRejectExplicitRgbaForJpeg() {
    // Given
    ImageRequest request = ImageRequest.builder(uint8(new long[] {5, 7, 4})).mode("RGBA").fileType("jpg").build();

    // When / Then
    assertThat(rejection(request).reason()).startsWith("mode RGBA cannot be saved as jpg");
  }

  @Test
  void shouldStoreBmpRgbaAsRgbWithWarning() {
    // Given: Pillow writes the alpha bytes into a 32-bit BI_RGB bitmap and reads them back
    // as RGB; ImageIO cannot write alpha BMPs; the kernel stores 24-bit RGB and warns
    PixelArray array = uint8(new long[] {5, 7, 4});
    ImageRequest request = ImageRequest.builder(array).fileType("bmp").build();

    // When
    ProcessedImage image = ImageProcessor.process(request);

    // Then
    assertThat(image.format()).isEqualTo("bmp");
    assertThat(image.contentType()).isEqualTo("image/bmp");
    assertThat(image.mode()).isEqualTo("RGB");
    assertThat(image.warnings()).singleElement().asString().startsWith("bmp does not keep transparency");
    BufferedImage decoded = ImageFixtures.decode(image.encoded());
    assertThat(decoded.getRaster().getNumBands()).isEqualTo(3);
    byte[] source = array.data().array();
    int[] expected = new int[5 * 7 * 3];
    for (int p = 0; p < 35; p++) {
      for (int c = 0; c < 3; c++) {
        expected[p * 3 + c] = source[p * 4 + c] & 0xFF;
      }
    }
    assertThat(ImageFixtures.pixels(decoded)).containsExactly(expected);
  }

  @Test
  void shouldStoreExplicitRgbaBmpAsRgbWithWarning() {
    // Given
    ImageRequest request = ImageRequest.builder(uint8(new long[] {5, 7, 4})).mode("RGBA").fileType("bmp").build();

    // When
    ProcessedImage image = ImageProcessor.process(request);

    // Then
    assertThat(image.mode()).isEqualTo("RGB");
    assertThat(image.warnings()).singleElement().asString().contains("alpha channel dropped");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void shouldWriteLosslessBmpForGrayAndRgb(int channels) {
    // Given
    PixelArray array = channels == 1 ? uint8(new long[] {5, 7}) : uint8(new long[] {5, 7, 3});
    ImageRequest request = ImageRequest.builder(array).fileType("bmp").build();

    // When
    ProcessedImage image = ImageProcessor.process(request);

    // Then
    assertThat(image.encoded()).startsWith('B', 'M');
    assertThat(image.warnings()).isEmpty();
    assertThat(ImageFixtures.pixels(ImageFixtures.decode(image.encoded())))
        .containsExactly(ImageFixtures.unsigned(array.data().array()));
  }

  // ----------------------------------------------------------------------------- mode

  @Test
  void shouldRejectExplicitModeThatDoesNotMatchChannelCount() {
    // Given
    ImageRequest request = ImageRequest.builder(uint8(new long[] {5, 7, 4})).mode("RGB").build();

    // When / Then
    assertThat(rejection(request).reason()).isEqualTo("mode RGB needs 3 channels but the array has shape (5, 7, 4) (4 channels)");
  }

  @Test
  void shouldRejectExplicitGrayModeForColourArray() {
    // Given
    ImageRequest request = ImageRequest.builder(uint8(new long[] {5, 7, 3})).mode("L").build();

    // When / Then
    assertThat(rejection(request).reason()).startsWith("mode L needs a 2-D array or 1 channel");
  }

  @Test
  void shouldRejectExplicitRgbaModeForTwoDimensionalArray() {
    // Given
    ImageRequest request = ImageRequest.builder(uint8(new long[] {5, 7})).mode("RGBA").build();

    // When / Then
    assertThat(rejection(request).reason()).startsWith("mode RGBA needs 4 channels but the array has shape (5, 7)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"CMYK", "P", "rgb", "I;16", " "})
  void shouldRejectUnsupportedExplicitMode(String mode) {
    // Given
    ImageRequest request = ImageRequest.builder(uint8(new long[] {5, 7, 3})).mode(mode).build();

    // When / Then
    assertThat(rejection(request).reason()).isEqualTo("unsupported mode '" + mode + "' (supported: L, RGB, RGBA)");
  }

  @ParameterizedTest
  @NullAndEmptySource
  void shouldGuessModeWhenNoneIsGiven(String mode) {
    // Given
    ImageRequest request = ImageRequest.builder(uint8(new long[] {5, 7, 4})).mode(mode).build();

    // When / Then
    assertThat(ImageProcessor.process(request).mode()).isEqualTo("RGBA");
  }

  @Test
  void shouldAcceptExplicitModeForSqueezedSingleChannel() {
    // Given
    ImageRequest request = ImageRequest.builder(uint8(new long[] {5, 7, 1})).mode("L").build();

    // When / Then
    assertThat(ImageProcessor.process(request).mode()).isEqualTo("L");
  }

  // ----------------------------------------------------------------------------- values

  @Test
  void shouldCastOutOfRangeFloat64LikeNumpyOnX8664() {
    // Given: numpy 1.24.2 on x86_64, astype(uint8) of float64 goes through int32:
    // truncate + wrap inside int32, 0 for NaN / inf / outside int32. Platform-dependent in
    // numpy (aarch64 saturates); the kernel always gives the x86_64 result.
    double[] values = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 3e9 + 5,
        2147483647.5, -2147483645.0, -2147483653.0, 1e10 + 7, -0.5, -0.999, -1.0, -1.5, -2.7,
        -129.0, -257.3, 255.9, 256.0, 300.2, 65535.9, 1000.5};
    int[] numpy = {0, 0, 0, 0, 255, 3, 0, 0, 0, 0, 255, 255, 254, 127, 255, 255, 0, 44, 255, 232};
    PixelArray array = PixelArray.of(PixelArray.Dtype.FLOAT64, new long[] {4, 5}, ImageFixtures.float64(values));
    List<String> warnings = new ArrayList<>();

    // When
    byte[] u8 = PixelNormalizer.toUint8(array, false, warnings);

    // Then
    assertThat(ImageFixtures.unsigned(u8)).containsExactly(numpy);
    assertThat(warnings).singleElement().asString().contains("outside [0, 255]").contains("NaN");
  }

  @Test
  void shouldCastOutOfRangeFloat32LikeNumpyOnX8664() {
    // Given: same rule for float32 (cvttss2si); 2^31 is outside int32
    float[] values = {Float.NaN, 1e10f, -1.5f, 65535.9f, 2147483648f, -2147483648f, 255.99998f, -0.99999f};
    int[] numpy = {0, 0, 255, 255, 0, 0, 255, 0};
    PixelArray array = PixelArray.of(PixelArray.Dtype.FLOAT32, new long[] {2, 4}, ImageFixtures.float32(values));

    // When
    byte[] u8 = PixelNormalizer.toUint8(array, false, new ArrayList<>());

    // Then
    assertThat(ImageFixtures.unsigned(u8)).containsExactly(numpy);
  }

  @Test
  void shouldClipNanToZeroAndWarnWhenNormalizing() {
    // Given: numpy's min() is NaN, so the clip branch is taken; clip keeps NaN, which casts
    // to 0 on x86_64 (platform-dependent in numpy). wandb gives no warning here (its check
    // compares with NaN); the kernel warns.
    PixelArray array = PixelArray.of(PixelArray.Dtype.FLOAT32, new long[] {2, 2},
        ImageFixtures.float32(Float.NaN, 0.5f, 300f, Float.NEGATIVE_INFINITY));
    List<String> warnings = new ArrayList<>();

    // When
    byte[] u8 = PixelNormalizer.toUint8(array, true, warnings);

    // Then
    assertThat(ImageFixtures.unsigned(u8)).containsExactly(0, 0, 255, 0);
    assertThat(warnings).singleElement().asString()
        .contains("min=-Infinity, max=300.0, 1 NaN").contains("clipped").contains("NaN became 0");
  }

  @Test
  void shouldWrapIntegersModulo256WithoutNormalization() {
    // Given
    PixelArray array = PixelArray.of(PixelArray.Dtype.INT64, new long[] {2, 3},
        ImageFixtures.int64(-1, 256, 257, -129, (1L << 40) + 5, Long.MIN_VALUE));
    List<String> warnings = new ArrayList<>();

    // When
    byte[] u8 = PixelNormalizer.toUint8(array, false, warnings);

    // Then
    assertThat(ImageFixtures.unsigned(u8)).containsExactly(255, 0, 1, 127, 5, 0);
    assertThat(warnings).singleElement().asString()
        .isEqualTo("pixel values outside [0, 255] (min=" + Long.MIN_VALUE + ", max=" + ((1L << 40) + 5)
            + "); cast to uint8 without normalization (truncated, wrapped modulo 256)");
  }

  @Test
  void shouldWarnWithMinAndMaxWhenClipping() {
    // Given
    PixelArray array = PixelArray.of(PixelArray.Dtype.FLOAT64, new long[] {1, 3},
        ImageFixtures.float64(-3.25, 100.0, 300.5));
    List<String> warnings = new ArrayList<>();

    // When
    PixelNormalizer.Branch branch = PixelNormalizer.convert(array, true, warnings, new byte[3]);

    // Then
    assertThat(branch).isEqualTo(PixelNormalizer.Branch.CLIP);
    assertThat(warnings).containsExactly("pixel values outside [0, 255] (min=-3.25, max=300.5); clipped to [0, 255]");
  }

  @Test
  void shouldReadFromDirectAndOffsetBuffers() {
    // Given: the array bytes start 3 bytes into a direct buffer
    byte[] floats = ImageFixtures.float32(0f, 0.5f, 1f, 0.25f);
    ByteBuffer direct = ByteBuffer.allocateDirect(floats.length + 3);
    direct.put(new byte[3]).put(floats).flip().position(3);
    PixelArray array = new PixelArray(PixelArray.Dtype.FLOAT32, new long[] {2, 2}, direct);

    // When
    byte[] u8 = PixelNormalizer.toUint8(array, true, new ArrayList<>());

    // Then
    assertThat(ImageFixtures.unsigned(u8)).containsExactly(0, 127, 255, 63);
  }
}
