package dev.mediaflow.query.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ThumbnailsTest {

  private static byte[] png(int width, int height, int type, int argb) throws Exception {
    BufferedImage image = new BufferedImage(width, height, type);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, argb);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  @Test
  void shouldShrinkTheLongestSideToTheSizeAsJpegKeepingTheAspect() throws Exception {
    Thumbnail t = Thumbnails.of(png(1000, 500, BufferedImage.TYPE_INT_RGB, 0xff2080c0), 128);
    assertThat(t.contentType()).isEqualTo("image/jpeg");
    assertThat(t.width()).isEqualTo(128);
    assertThat(t.height()).isEqualTo(64);
    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(t.bytes()));
    assertThat(decoded.getWidth()).isEqualTo(128);
    int rgb = decoded.getRGB(64, 32);
    assertThat((rgb >> 16) & 0xff).isBetween(0x20 - 8, 0x20 + 8);
    assertThat(rgb & 0xff).isBetween(0xc0 - 8, 0xc0 + 8);
  }

  @Test
  void shouldNeverEnlargeASmallImage() throws Exception {
    Thumbnail t = Thumbnails.of(png(32, 16, BufferedImage.TYPE_INT_RGB, 0xffffffff), 256);
    assertThat(t.width()).isEqualTo(32);
    assertThat(t.height()).isEqualTo(16);
  }

  @Test
  void shouldKeepAlphaAsPng() throws Exception {
    Thumbnail t = Thumbnails.of(png(64, 64, BufferedImage.TYPE_INT_ARGB, 0x80ff0000), 16);
    assertThat(t.contentType()).isEqualTo("image/png");
    assertThat(ImageIO.read(new ByteArrayInputStream(t.bytes())).getColorModel().hasAlpha()).isTrue();
  }

  @Test
  void cacheShouldDropLeastRecentlyUsedBeyondItsByteBound() {
    PreviewCache cache = new PreviewCache(250);
    int[] made = {0};
    for (String key : new String[] {"a", "b", "a", "c"}) {
      cache.get(key, () -> {
        made[0]++;
        return new Thumbnail(new byte[100], "image/jpeg", 1, 1);
      });
    }
    // a, b made; a hit; c made and b (least recently used) dropped to stay within 250 bytes
    assertThat(made[0]).isEqualTo(3);
    assertThat(cache.bytes()).isLessThanOrEqualTo(250);
    assertThat(cache.size()).isEqualTo(2);
    cache.get("a", () -> {
      made[0]++;
      return new Thumbnail(new byte[100], "image/jpeg", 1, 1);
    });
    assertThat(made[0]).as("a is still cached").isEqualTo(3);
    assertThat(cache.hits()).isEqualTo(2);
  }
}
