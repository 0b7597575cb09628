package dev.mediaflow.transform.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The PNG writer: same pixels at every level and with either compressor; noise is stored, not compressed. */
class PngEncoderTest {
  private static final int SIDE = 160;

  private static byte[] noise() {
    byte[] pixels = new byte[SIDE * SIDE * 3];
    new Random(7).nextBytes(pixels);
    return pixels;
  }

  private static byte[] smooth() {
    byte[] pixels = new byte[SIDE * SIDE * 3];
    for (int y = 0, i = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        pixels[i++] = (byte) x;
        pixels[i++] = (byte) y;
        pixels[i++] = (byte) (127 + 100 * Math.sin(x / 9.0) * Math.cos(y / 7.0));
      }
    }
    return pixels;
  }

  private static ZlibCompressor[] compressors() {
    ZlibCompressor libdeflate = ZlibCompressorsTest.installedLibdeflate();
    return libdeflate == null ? new ZlibCompressor[] {new JdkZlibCompressor()}
        : new ZlibCompressor[] {new JdkZlibCompressor(), libdeflate};
  }

  @Test
  void everyLevelAndCompressorShouldDecodeToTheSamePixels() {
    assertSamePixelsAtLevels(smooth(), 0, 1, 6, 9, 12);
    // libdeflate's 10–12 search hard on noise (seconds): the smooth picture covers them
    assertSamePixelsAtLevels(noise(), 0, 1, 6, 9);
  }

  private static void assertSamePixelsAtLevels(byte[] pixels, int... levels) {
    int[] expected = new int[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      expected[i] = pixels[i] & 0xff;
    }
    for (ZlibCompressor compressor : compressors()) {
      for (int level : levels) {
        byte[] png = PngEncoder.encode(pixels, SIDE, SIDE, 3, level, compressor);

        int[] decoded = ImageFixtures.pixels(ImageFixtures.decode(png));
        assertThat(decoded).as(compressor.name() + " level " + level).isEqualTo(expected); // linear on large arrays
      }
    }
  }

  @Test
  void noiseShouldBeStoredAndSmoothPicturesCompressed() {
    for (ZlibCompressor compressor : compressors()) {
      assertThat(PngEncoder.incompressible(noise(), SIDE, SIDE, 3, compressor)).as(compressor.name() + " noise").isTrue();
      assertThat(PngEncoder.incompressible(smooth(), SIDE, SIDE, 3, compressor)).as(compressor.name() + " smooth")
          .isFalse();

      // stored: every row unfiltered, one stored block per 64 KiB at most; no larger than the pixels + 1 %
      int stored = PngEncoder.encode(noise(), SIDE, SIDE, 3, 6, compressor).length;
      assertThat(stored).as(compressor.name()).isLessThan((int) (SIDE * (SIDE * 3 + 1) * 1.01));
    }
  }

  @Test
  void higherLevelsShouldNotWriteLargerFilesOnASmoothPicture() {
    for (ZlibCompressor compressor : compressors()) {
      int fast = PngEncoder.encode(smooth(), SIDE, SIDE, 3, 1, compressor).length;
      int standard = PngEncoder.encode(smooth(), SIDE, SIDE, 3, 6, compressor).length;
      int stored = PngEncoder.encode(smooth(), SIDE, SIDE, 3, 0, compressor).length;

      assertThat(standard).as(compressor.name()).isLessThanOrEqualTo(fast);
      assertThat(fast).as(compressor.name()).isLessThan(stored / 2);
    }
  }
}
