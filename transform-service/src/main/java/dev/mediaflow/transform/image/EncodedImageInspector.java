package dev.mediaflow.transform.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Checks an already-encoded image file (media-semantics.md, "Image": png, jpg/jpeg, bmp;
 * gif accepted as a file). The bytes are stored as they are; they are only decoded to
 * learn width, height and mode, and the file is rejected if it does not decode.
 *
 * <ul>
 *   <li>The type comes from the name's ending (case-insensitive): png, jpg, jpeg, bmp, gif;
 *       anything else is rejected.</li>
 *   <li>The file is decoded with ImageIO's reader for that type, so a PNG named
 *       {@code .jpg} is rejected ("file does not decode as jpeg"). The whole stream is
 *       decoded (first frame for gif) so a truncated file is caught; the decoded pixels are
 *       subsampled to at most {@value #MAX_PROBE_SIDE} per side, which bounds memory for
 *       big files.</li>
 *   <li>Mode from the decoded color model: palette → P, gray → L, gray+alpha → LA, colour
 *       with alpha → RGBA, else RGB (16-bit gray is reported as L; Pillow would say I;16).
 *       CMYK JPEGs: ImageIO reads some (reported as RGB) and rejects others (e.g. with an ICC
 *       profile: "Unsupported Image Type").</li>
 *   <li>JPEGs are checked with libjpeg-turbo ({@link TurboJpegInspector}, several times
 *       cheaper) when it is the JPEG writer in use ({@link JpegWriters}); it makes the same
 *       decisions and reports the same size and mode.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class EncodedImageInspector {

  /** Largest side of the (subsampled) probe image kept in memory while checking a file. */
  static final int MAX_PROBE_SIDE = 1024;

  private EncodedImageInspector() {}

  /**
   * @param fileName the producer's file name; only its ending is used
   * @param data the file bytes; returned untouched (same array) in {@link ProcessedImage#encoded()}
   * @throws ImageRejectedException for an unsupported ending or a file that does not decode
   */
  public static ProcessedImage inspect(String fileName, byte[] data) {
    return inspect(fileName, data, TurboJpeg.INSPECTOR);
  }

  /** Always through ImageIO: the reference the faster JPEG path is tested and measured against. */
  public static ProcessedImage inspectWithImageIo(String fileName, byte[] data) {
    return inspect(fileName, data, null);
  }

  /** @param turbo libjpeg-turbo's JPEG check, or {@code null} to decode JPEGs with ImageIO */
  static ProcessedImage inspect(String fileName, byte[] data, TurboJpegInspector turbo) {
    String name = fileName == null ? "" : fileName;
    int dot = name.lastIndexOf('.');
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    String extension = dot > slash ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    String format = switch (extension) {
      case "png" -> "png";
      case "jpg", "jpeg" -> "jpeg";
      case "bmp" -> "bmp";
      case "gif" -> "gif";
      default -> throw new ImageRejectedException("unsupported image file type '" + extension
          + "' for '" + name + "' (supported: png, jpg, jpeg, bmp, gif)");
    };
    if (data == null || data.length == 0) {
      throw new ImageRejectedException("file does not decode as " + format + ": empty file");
    }

    if (turbo != null && format.equals("jpeg")) {
      TurboJpegInspector.Probe probe = turbo.inspect(data);
      if (probe != null) {
        return new ProcessedImage(data, format, extension, ImageProcessor.contentType(format),
            probe.width(), probe.height(), probe.mode(), List.of());
      }
    }

    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
    if (!readers.hasNext()) {
      throw new IllegalStateException("no ImageIO reader for " + format);
    }
    ImageReader reader = readers.next();
    int width;
    int height;
    String mode;
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
      reader.setInput(in, true, true);
      width = reader.getWidth(0);
      height = reader.getHeight(0);
      if (width <= 0 || height <= 0) {
        throw new ImageRejectedException("file does not decode as " + format + ": size "
            + width + "x" + height);
      }
      ImageReadParam param = reader.getDefaultReadParam();
      int sx = Math.max(1, (width + MAX_PROBE_SIDE - 1) / MAX_PROBE_SIDE);
      int sy = Math.max(1, (height + MAX_PROBE_SIDE - 1) / MAX_PROBE_SIDE);
      if (sx > 1 || sy > 1) {
        param.setSourceSubsampling(sx, sy, 0, 0);
      }
      BufferedImage probe = reader.read(0, param);
      if (probe == null) {
        throw new ImageRejectedException("file does not decode as " + format);
      }
      mode = mode(probe.getColorModel());
    } catch (ImageRejectedException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // ImageIO readers throw IIOException, but also IndexOutOfBounds/IllegalArgument etc. on
      // corrupt input
      String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new ImageRejectedException("file does not decode as " + format + ": " + detail, e);
    } finally {
      reader.dispose();
    }
    return new ProcessedImage(data, format, extension, ImageProcessor.contentType(format), width,
        height, mode, List.of());
  }

  /** libjpeg-turbo's inspector when the JPEG writer in use is libjpeg-turbo (same setting, same library). */
  static final class TurboJpeg {
    static final TurboJpegInspector INSPECTOR =
        JpegWriters.active() instanceof TurboJpegWriter writer ? writer.inspector() : null;

    private TurboJpeg() {}
  }

  static String mode(ColorModel cm) {
    if (cm instanceof IndexColorModel) {
      return "P";
    }
    int colors = cm.getNumColorComponents();
    if (colors == 1) {
      return cm.hasAlpha() ? "LA" : "L";
    }
    return cm.hasAlpha() ? "RGBA" : "RGB";
  }
}
