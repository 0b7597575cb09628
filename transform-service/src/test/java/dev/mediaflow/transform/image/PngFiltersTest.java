package dev.mediaflow.transform.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mediaflow.transform.simd.Kernels;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Vector API PNG filters against the scalar reference: the same five scores and the same
 * filtered bytes for every filter type, on random rows of every width up to a few vectors
 * (odd ones and tails included), 1, 2, 3 and 4 bytes per pixel, the first row (zeros above)
 * and rows laced with the values where the arithmetic turns (0, 127, 128, 255); and whole
 * images written with either implementation decoding to the same pixels through ImageIO.
 */
class PngFiltersTest {
  private static final PngFilters SCALAR = PngFilters.scalar();
  private static PngFilters vector;

  @BeforeAll
  static void needsTheVectorFilters() {
    // the build runs tests with --add-modules jdk.incubator.vector; only a CPU under 256 bits skips
    assumeTrue(Kernels.active().name().equals("vector"),
        "skipped: the numeric kernels are scalar here, so the vector PNG filters never run");
    vector = PngFilters.active();
  }

  @Test
  void shouldPickTheVectorFiltersWhenTheKernelsAreVector() {
    assertThat(vector.name()).isEqualTo("vector");
    assertThat(PngFilters.Choice.choose("scalar").name()).isEqualTo("scalar");
  }

  @Test
  void everyFilterShouldMatchTheScalarReferenceOnRandomRows() {
    Random random = new Random(13);
    byte[] edges = {0, 1, 2, 126, 127, (byte) 128, (byte) 129, (byte) 254, (byte) 255};
    for (int bpp = 1; bpp <= 4; bpp++) {
      for (int width = 1; width <= 200; width++) {
        for (int laced = 0; laced < 2; laced++) {
          int stride = width * bpp;
          // three rows with a random offset in front, so rows and their tails do not start at vector boundaries
          int offset = random.nextInt(7);
          byte[] px = new byte[offset + 3 * stride];
          random.nextBytes(px);
          if (laced == 1) {
            for (int i = 0; i < px.length; i++) {
              px[i] = edges[random.nextInt(edges.length)];
            }
          }
          byte[] zero = new byte[stride];
          String where = "bpp " + bpp + " width " + width + (laced == 1 ? " edge values" : "");
          assertSameAsScalar(px, offset + stride, px, offset, stride, bpp, where);
          assertSameAsScalar(px, offset + 2 * stride, px, offset + stride, stride, bpp, where);
          assertSameAsScalar(px, offset, zero, 0, stride, bpp, where + " first row");
        }
      }
    }
  }

  @Test
  void longRowsShouldFoldTheirScoresWithoutOverflow() {
    // rows long enough for several folds of the 16-bit lanes; all 128s and alternating 0/128 make
    // every score its maximum (128 per byte)
    for (int stride : new int[] {40_000, 65_539}) {
      byte[] px = new byte[2 * stride];
      for (int i = 0; i < px.length; i++) {
        px[i] = (byte) ((i & 1) == 0 ? 128 : 0);
      }
      assertSameAsScalar(px, stride, px, 0, stride, 4, "stride " + stride);
      Arrays.fill(px, (byte) 128);
      assertSameAsScalar(px, stride, px, 0, stride, 3, "stride " + stride + " all 128");
      long[] sums = new long[PngFilters.TYPES];
      vector.scores(px, stride, px, 0, stride, 3, sums);
      assertThat(sums[0]).isEqualTo(128L * stride);
    }
  }

  private static void assertSameAsScalar(byte[] px, int row, byte[] up, int u, int stride, int bpp, String where) {
    long[] expected = new long[PngFilters.TYPES];
    long[] actual = new long[PngFilters.TYPES];
    SCALAR.scores(px, row, up, u, stride, bpp, expected);
    vector.scores(px, row, up, u, stride, bpp, actual);
    assertThat(actual).as("scores, " + where).isEqualTo(expected);
    for (int type = 0; type < PngFilters.TYPES; type++) {
      byte[] want = new byte[stride + 2];
      byte[] got = new byte[stride + 2];
      SCALAR.write(type, px, row, up, u, stride, bpp, want, 1);
      vector.write(type, px, row, up, u, stride, bpp, got, 1);
      assertThat(got).as("type " + type + ", " + where).isEqualTo(want);
    }
  }

  @Test
  void imagesShouldFilterAlikeAndDecodeToTheSamePixels() {
    for (int channels : new int[] {1, 3, 4}) {
      for (int[] size : new int[][] {{97, 70}, {160, 160}, {333, 65}}) {
        byte[] pixels = picture(size[0], size[1], channels);
        byte[] scalarRows = PngEncoder.filtered(pixels, size[0], size[1], channels, SCALAR);
        byte[] vectorRows = PngEncoder.filtered(pixels, size[0], size[1], channels, vector);
        String where = size[0] + "x" + size[1] + "x" + channels;
        assertThat(vectorRows).as(where).isEqualTo(scalarRows);
        assertThat(filterTypes(vectorRows, size[0] * channels)).as("a picture that uses several filters, " + where)
            .hasSizeGreaterThanOrEqualTo(3);

        for (PngFilters filters : new PngFilters[] {SCALAR, vector}) {
          byte[] png = PngEncoder.encode(pixels, size[0], size[1], channels, 6, new JdkZlibCompressor(), filters);
          int[] decoded = ImageFixtures.pixels(ImageFixtures.decode(png));
          int[] expected = new int[pixels.length];
          for (int i = 0; i < pixels.length; i++) {
            expected[i] = pixels[i] & 0xff;
          }
          assertThat(decoded).as(filters.name() + " " + where).isEqualTo(expected);
        }
      }
    }
  }

  /** Gradients, waves, flat bands and a noisy patch: rows where different filters win. */
  private static byte[] picture(int width, int height, int channels) {
    Random random = new Random(width * 31L + height);
    byte[] p = new byte[width * height * channels];
    for (int y = 0, i = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int k = 0; k < channels; k++, i++) {
          int v;
          if (y % 17 < 3) {
            v = 200; // flat: None and Up
          } else if (x > width / 2 && y > height / 2) {
            v = random.nextInt(256);
          } else if (y % 2 == 0) {
            v = x * (k + 1) + y; // horizontal gradient: Sub
          } else {
            v = (int) (127 + 120 * Math.sin((x + 3 * k) / 5.0) * Math.cos(y / 3.0)); // waves: Average, Paeth
          }
          p[i] = (byte) v;
        }
      }
    }
    return p;
  }

  private static Set<Integer> filterTypes(byte[] rows, int stride) {
    Set<Integer> types = new TreeSet<>();
    for (int o = 0; o < rows.length; o += stride + 1) {
      types.add((int) rows[o]);
    }
    return types;
  }
}
