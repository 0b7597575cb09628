package dev.mediaflow.transform.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The libjpeg-turbo JPEG check ({@link TurboJpegInspector}) against the ImageIO one on a corpus
 * of valid, truncated, corrupted and misnamed files: same accept/reject decision, same
 * width/height/mode, and rejections say "file does not decode as jpeg: ...".
 */
class TurboJpegInspectorCorpusTest {
  private static TurboJpegInspector turbo;

  @BeforeAll
  static void loadTurbo() {
    JpegWriter writer = JpegWritersTest.installedTurboJpeg();
    Assumptions.assumeTrue(writer != null, "SKIPPED: libturbojpeg-java / libturbojpeg0 not installed");
    turbo = ((TurboJpegWriter) writer).inspector();
  }

  @Test
  void shouldDecideLikeImageIoOnTheCorpus() throws IOException {
    Map<String, byte[]> corpus = corpus();
    List<String> differences = new ArrayList<>();
    int acceptedTruncated = 0;
    int fastPath = 0;
    int rejected = 0;
    for (Map.Entry<String, byte[]> file : corpus.entrySet()) {
      String name = file.getKey();
      String reference = outcome(name, file.getValue(), null);
      String fast = outcome(name, file.getValue(), turbo);
      if (!reference.equals(fast)) {
        differences.add(name + ": imageio=" + reference + " turbo=" + fast);
      }
      if (name.endsWith(".jpg") && file.getValue().length > 0 && decidedByTurbo(file.getValue())) {
        fastPath++;
      }
      if (fast.startsWith("rejected")) {
        rejected++;
      } else if (name.contains("cut")) {
        acceptedTruncated++;
      }
    }
    assertThat(differences).as("decisions that differ from ImageIO's").isEmpty();
    // the corpus must exercise both sides of the warning rule and the rejections
    assertThat(acceptedTruncated).as("truncated JPEGs accepted (libjpeg warning)").isPositive();
    assertThat(rejected).as("rejected files").isGreaterThan(20);
    // at least the valid JPEGs (but CMYK) and their copies with trailing bytes
    assertThat(fastPath).as("JPEGs libjpeg-turbo decided alone").isGreaterThanOrEqualTo(14);
  }

  @Test
  void shouldLeaveCmykToImageIo() throws IOException {
    byte[] cmyk = fixture("cmyk.jpg");

    assertThat(turbo.inspect(cmyk)).isNull();
    assertThat(outcome("cmyk.jpg", cmyk, turbo)).isEqualTo(outcome("cmyk.jpg", cmyk, null)).isEqualTo("ok 64x48 RGB");
  }

  @Test
  void shouldUseTurboForJpegWhenItIsTheActiveWriter() {
    assertThat(EncodedImageInspector.TurboJpeg.INSPECTOR).isSameAs(turbo);
  }

  /**
   * "ok WxH mode" or "rejected" (checked to start with "file does not decode as ..."): the detail after
   * "file does not decode as jpeg: " is the decoder's own text, which differs between libraries.
   */
  private static String outcome(String name, byte[] data, TurboJpegInspector inspector) {
    try {
      ProcessedImage image = EncodedImageInspector.inspect(name, data, inspector);
      assertThat(image.encoded()).isSameAs(data);
      return "ok " + image.width() + "x" + image.height() + " " + image.mode();
    } catch (ImageRejectedException e) {
      String format = name.endsWith(".png") ? "png" : "jpeg";
      assertThat(e.getMessage()).startsWith("file does not decode as " + format + ": ");
      return "rejected";
    }
  }

  private static Map<String, byte[]> corpus() throws IOException {
    SplittableRandom random = new SplittableRandom(13);
    Map<String, byte[]> valid = new LinkedHashMap<>();
    valid.put("rgb.jpg", jpeg(picture(BufferedImage.TYPE_INT_RGB, 300, 200, random), false));
    valid.put("gray.jpg", jpeg(picture(BufferedImage.TYPE_BYTE_GRAY, 257, 131, random), false));
    valid.put("progressive.jpg", jpeg(picture(BufferedImage.TYPE_INT_RGB, 320, 240, random), true));
    valid.put("odd.jpeg", jpeg(picture(BufferedImage.TYPE_3BYTE_BGR, 17, 9, random), false));
    // larger than the 1024 probe side: ImageIO subsamples, libjpeg-turbo scales the IDCT
    valid.put("big.jpg", jpeg(picture(BufferedImage.TYPE_INT_RGB, 2600, 1100, random), false));
    valid.put("tall_progressive.jpg", jpeg(picture(BufferedImage.TYPE_INT_RGB, 90, 1500, random), true));
    valid.put("exif.jpg", fixture("exif.jpg"));
    valid.put("progressive_gray.jpg", fixture("progressive_gray.jpg"));
    valid.put("cmyk.jpg", fixture("cmyk.jpg"));
    valid.put("gray.png", png(picture(BufferedImage.TYPE_BYTE_GRAY, 120, 80, random)));
    valid.put("rgb.png", png(picture(BufferedImage.TYPE_INT_RGB, 120, 80, random)));
    valid.put("rgba.png", png(picture(BufferedImage.TYPE_INT_ARGB, 120, 80, random)));
    valid.put("palette.png", png(palette(120, 80)));

    Map<String, byte[]> corpus = new LinkedHashMap<>(valid);
    for (Map.Entry<String, byte[]> file : valid.entrySet()) {
      byte[] data = file.getValue();
      String name = file.getKey();
      String base = name.substring(0, name.lastIndexOf('.'));
      String ext = name.substring(name.lastIndexOf('.'));
      // cut points: inside the markers, inside the scan, just before and at the EOI marker
      int n = data.length;
      int[] cuts = {1, 2, 3, 4, 11, 20, 60, 150, 300, n / 10, n / 4, n / 2, 3 * n / 4, 9 * n / 10, n - 20, n - 3, n - 2, n - 1};
      for (int cut : cuts) {
        if (cut > 0 && cut < n) {
          corpus.put(base + "_cut" + cut + ext, java.util.Arrays.copyOf(data, cut));
        }
      }
      // flipped bytes in the entropy-coded data and in the headers
      for (int at : new int[] {n / 3, n / 2, 2 * n / 3, 25, 120}) {
        if (at < n) {
          byte[] bad = data.clone();
          bad[at] ^= (byte) 0x5A;
          corpus.put(base + "_flip" + at + ext, bad);
        }
      }
      byte[] trailing = java.util.Arrays.copyOf(data, n + 100);
      corpus.put(base + "_trailing" + ext, trailing);
    }
    // a Huffman-coded JPEG labelled arithmetic (SOF9): ImageIO refuses arithmetic coding
    byte[] arithmetic = valid.get("rgb.jpg").clone();
    int sof = indexOfMarker(arithmetic, 0xC0);
    arithmetic[sof + 1] = (byte) 0xC9;
    corpus.put("arithmetic_label.jpg", arithmetic);
    corpus.put("png_named.jpg", valid.get("rgb.png"));
    corpus.put("jpeg_named.png", valid.get("rgb.jpg"));
    corpus.put("empty.jpg", new byte[0]);
    corpus.put("empty.png", new byte[0]);
    for (int i = 0; i < 4; i++) {
      byte[] noise = new byte[1 << (6 + 2 * i)];
      random.nextBytes(noise);
      corpus.put("noise" + i + ".jpg", noise);
      byte[] soi = noise.clone(); // a JPEG start followed by noise
      soi[0] = (byte) 0xFF;
      soi[1] = (byte) 0xD8;
      corpus.put("soi_noise" + i + ".jpg", soi);
    }
    return corpus;
  }

  /** Whether libjpeg-turbo accepted the file itself (not left it to ImageIO). */
  private static boolean decidedByTurbo(byte[] data) {
    return turbo.inspect(data) != null;
  }

  private static int indexOfMarker(byte[] data, int marker) {
    for (int i = 0; i + 1 < data.length; i++) {
      if ((data[i] & 0xFF) == 0xFF && (data[i + 1] & 0xFF) == marker) {
        return i;
      }
    }
    throw new AssertionError("no marker " + Integer.toHexString(marker));
  }

  private static BufferedImage picture(int type, int width, int height, SplittableRandom random) {
    BufferedImage image = new BufferedImage(width, height, type);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = (x * 255 / width + random.nextInt(8)) & 0xFF;
        int g = (y * 255 / height + random.nextInt(8)) & 0xFF;
        image.setRGB(x, y, (x * 7 % 256) << 24 | r << 16 | g << 8 | (x + y) & 0xFF);
      }
    }
    return image;
  }

  private static BufferedImage palette(int width, int height) {
    byte[] levels = {0, (byte) 85, (byte) 170, (byte) 255};
    IndexColorModel model = new IndexColorModel(2, 4, levels, levels.clone(), levels.clone());
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_BINARY, model);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillOval(10, 10, width - 20, height - 20);
    g.dispose();
    return image;
  }

  private static byte[] png(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(image, "png", out)).isTrue();
    return out.toByteArray();
  }

  private static byte[] jpeg(BufferedImage image, boolean progressive) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (progressive) {
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      }
      writer.setOutput(stream);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in = TurboJpegInspectorCorpusTest.class.getResourceAsStream("/fixtures/encoded/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }
}
