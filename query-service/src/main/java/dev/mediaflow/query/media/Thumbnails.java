package dev.mediaflow.query.media;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Makes a thumbnail of an encoded image (PNG, JPEG, BMP, GIF) with the JDK's ImageIO: its longest
 * side at most {@code size} pixels (never enlarged), JPEG (quality {@value #JPEG_QUALITY}) for an
 * opaque image, PNG when it has alpha. Scaling halves the image step by step with bilinear
 * filtering before the last step, so a large image is averaged rather than sampled.
 */
public final class Thumbnails {
  static final float JPEG_QUALITY = 0.85f;

  private Thumbnails() {}

  /** @throws IllegalArgumentException when {@code encoded} is not an image ImageIO reads */
  public static Thumbnail of(byte[] encoded, int size) {
    BufferedImage source;
    try {
      source = ImageIO.read(new ByteArrayInputStream(encoded));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot decode the image: " + e.getMessage(), e);
    }
    if (source == null) {
      throw new IllegalArgumentException("not an image format ImageIO reads");
    }
    boolean alpha = source.getColorModel().hasAlpha();
    double scale = Math.min(1.0, (double) size / Math.max(source.getWidth(), source.getHeight()));
    int width = Math.max(1, (int) Math.round(source.getWidth() * scale));
    int height = Math.max(1, (int) Math.round(source.getHeight() * scale));
    BufferedImage scaled = scale(source, width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    return alpha ? new Thumbnail(png(scaled), "image/png", width, height)
        : new Thumbnail(jpeg(scaled), "image/jpeg", width, height);
  }

  private static BufferedImage scale(BufferedImage source, int width, int height, int type) {
    BufferedImage current = source;
    int w = source.getWidth();
    int h = source.getHeight();
    do {
      w = Math.max(width, w / 2);
      h = Math.max(height, h / 2);
      BufferedImage next = new BufferedImage(w, h, type);
      Graphics2D g = next.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(current, 0, 0, w, h, null);
      g.dispose();
      current = next;
    } while (w != width || h != height);
    return current;
  }

  private static byte[] png(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] jpeg(BufferedImage image) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    ImageWriter writer = writers.next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(JPEG_QUALITY);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}
