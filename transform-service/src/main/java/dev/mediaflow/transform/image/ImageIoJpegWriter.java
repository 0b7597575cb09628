package dev.mediaflow.transform.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The JDK's JPEG writer (it embeds IJG libjpeg 6b, whose defaults are Pillow's): always
 * there, about a third of libjpeg-turbo's speed. The fallback of {@link JpegWriters}.
 *
 * <p>Its files differ from Pillow's in one header byte: the JFIF version, 1.02 here, 1.01 in
 * libjpeg(-turbo)'s; it is set to 1.01, which makes the files byte-identical to Pillow's.
 */
final class ImageIoJpegWriter implements JpegWriter {

  @Override
  public byte[] write(byte[] pixels, int width, int height, int channels, int quality) {
    BufferedImage image = new BufferedImage(width, height,
        channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
    byte[] dst = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    if (channels == 1) {
      System.arraycopy(pixels, 0, dst, 0, width * height);
    } else {
      for (int i = 0; i < dst.length; i += 3) { // TYPE_3BYTE_BGR stores B, G, R
        dst[i] = pixels[i + 2];
        dst[i + 1] = pixels[i + 1];
        dst[i + 2] = pixels[i];
      }
    }
    return asJfif101(encode(image, quality));
  }

  /** Sets the JFIF version of the APP0 segment that follows SOI to 1.01. */
  static byte[] asJfif101(byte[] jpeg) {
    // FF D8 | FF E0 len(2) 'J' 'F' 'I' 'F' 0 | major minor
    if (jpeg.length > 12 && (jpeg[2] & 0xff) == 0xff && (jpeg[3] & 0xff) == 0xe0 && jpeg[6] == 'J'
        && jpeg[7] == 'F' && jpeg[8] == 'I' && jpeg[9] == 'F' && jpeg[10] == 0 && jpeg[11] == 1) {
      jpeg[12] = 1;
    }
    return jpeg;
  }

  @Override
  public String name() {
    return "imageio";
  }

  /** Encodes in memory (no ImageIO disk cache). */
  private static byte[] encode(BufferedImage image, int quality) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    if (!writers.hasNext()) {
      throw new IllegalStateException("no ImageIO writer for jpeg");
    }
    ImageWriter writer = writers.next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(
        Math.min(image.getWidth() * image.getHeight() + 1024, 1 << 24));
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality / 100f);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException("encoding jpeg failed", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
