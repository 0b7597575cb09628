package dev.mediaflow.transform.image;

import dev.mediaflow.transform.KernelCpu;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Turns an array into an encoded image following media-semantics.md, section "Image"
 * (wandb's {@code wandb.Image(array)}), in this order:
 * <ol>
 *   <li>{@code fileType}: {@code null} or empty means png; png, jpg, jpeg, bmp are accepted, anything
 *       else is rejected (checked first, like wandb);</li>
 *   <li>a channels-first tensor (3-D) is transposed (C, H, W) → (H, W, C); a 2-D "tensor"
 *       is left as is; other ranks are rejected;</li>
 *   <li>squeeze: size-1 dimensions are dropped when there are more than 2 dimensions;
 *       afterwards the array must have 2 or 3 dimensions, else "unsupported shape";</li>
 *   <li>an empty array (a dimension of 0) is rejected (numpy's min() fails on it);</li>
 *   <li>mode: the explicit mode (L, RGB, RGBA) wins and must match the channel count;
 *       otherwise 2-D → L, 3 channels → RGB, 4 → RGBA (jpg/jpeg: alpha dropped → RGB with a
 *       warning), other counts → "unsupported shape";</li>
 *   <li>a side above 65,500 pixels is rejected;</li>
 *   <li>values → uint8 with {@link PixelNormalizer} (numpy-exact);</li>
 *   <li>encoding: png with {@link PngEncoder}, jpg/jpeg with {@link JpegWriters} (libjpeg-turbo when
 *       installed, else ImageIO; Pillow's bytes either way), bmp with ImageIO. L as 8-bit gray,
 *       RGB as 8-bit RGB, RGBA as 8-bit RGBA (png).
 *       Explicit RGBA cannot be written as jpg/jpeg (Pillow refuses it too: "cannot write
 *       mode RGBA as JPEG"). bmp keeps no transparency: RGBA is stored as 24-bit RGB with a
 *       warning. (Pillow writes the alpha bytes into a 32-bit BI_RGB bitmap where they are
 *       reserved bytes; Pillow itself reads that file back as RGB, and ImageIO cannot write
 *       an alpha BMP at all, so dropping it is what every reader sees.)</li>
 * </ol>
 * Deviations from wandb, all from the spec: an explicit mode that does not match the
 * channel count is an error (PIL would scramble the bytes); with jpg the alpha channel is
 * really dropped (wandb hands a 4-channel buffer to PIL as RGB).
 *
 * <p>Stateless and thread-safe. Output bytes are deterministic (no timestamps).
 */
public final class ImageProcessor {

  /** Largest side accepted, in pixels (PIL's limit, as in wandb). */
  public static final int MAX_DIMENSION = 65_500;

  /** JPEG quality, Pillow's default (75). */
  static final int JPEG_QUALITY = 75;

  private ImageProcessor() {}

  /**
   * @throws ImageRejectedException when the request breaks an image rule; the reason says which
   */
  public static ProcessedImage process(ImageRequest request) {
    PixelArray array = request.array();
    // Python truthiness, as in wandb's `file_type or "png"`: null and "" mean png
    String extension = request.fileType() == null || request.fileType().isEmpty() ? "png" : request.fileType();
    String format = switch (extension) {
      case "png" -> "png";
      case "jpg", "jpeg" -> "jpeg";
      case "bmp" -> "bmp";
      default -> throw new ImageRejectedException("unsupported file_type '" + extension
          + "' (supported: png, jpg, jpeg, bmp)");
    };

    Layout layout = Layout.of(array.shape(), request.chwLayout());
    List<String> warnings = new ArrayList<>(2);
    String mode = mode(request.mode(), layout, format, extension, warnings);
    if (layout.height > MAX_DIMENSION || layout.width > MAX_DIMENSION) {
      throw new ImageRejectedException("image is " + layout.width + "x" + layout.height
          + " pixels; a side above 65,500 is not supported (shape " + layout.shapeText + ")");
    }

    byte[] u8 = KernelCpu.time(KernelCpu.NORMALIZE, () -> PixelNormalizer.toUint8(array, request.normalize(), warnings));
    // the encoder's time includes laying the pixels out as it wants them (as Pillow's fromarray does)
    byte[] encoded = switch (format) {
      case "png" -> KernelCpu.time(KernelCpu.PNG, () -> PngEncoder.encode(interleave(u8, layout, mode),
          layout.width, layout.height, channels(mode), request.pngCompressionLevel(), ZlibCompressors.active()));
      case "jpeg" -> KernelCpu.time(KernelCpu.JPEG, () -> JpegWriters.active().write(interleave(u8, layout, mode),
          layout.width, layout.height, channels(mode), JPEG_QUALITY));
      default -> KernelCpu.time(KernelCpu.BMP, () -> encode(pack(u8, layout, mode), format));
    };
    return new ProcessedImage(encoded, format, extension, contentType(format), layout.width,
        layout.height, mode, warnings);
  }

  private static String mode(String requested, Layout layout, String format, String extension,
      List<String> warnings) {
    int channels = layout.channels;
    String mode;
    if (requested == null || requested.isEmpty()) { // wandb: `mode or guess_mode(...)`
      if (layout.ndim == 2 || channels == 1) {
        mode = "L";
      } else if (channels == 3) {
        mode = "RGB";
      } else if (channels == 4) {
        if (format.equals("jpeg")) {
          warnings.add(extension + " does not support transparency: alpha channel dropped (mode RGB)");
          return "RGB";
        }
        mode = "RGBA";
      } else {
        throw new ImageRejectedException("unsupported shape " + layout.shapeText + ": "
            + channels + " channels (an image has 1, 3 or 4)");
      }
    } else {
      mode = requested;
      int needed = switch (mode) {
        case "L" -> 1;
        case "RGB" -> 3;
        case "RGBA" -> 4;
        default -> throw new ImageRejectedException("unsupported mode '" + mode
            + "' (supported: L, RGB, RGBA)");
      };
      if (channels != needed) {
        throw new ImageRejectedException("mode " + mode + " needs " + (needed == 1 ? "a 2-D array or 1 channel"
            : needed + " channels") + " but the array has shape " + layout.shapeText
            + (layout.ndim == 2 ? "" : " (" + channels + " channels)"));
      }
      if (mode.equals("RGBA") && format.equals("jpeg")) {
        throw new ImageRejectedException("mode RGBA cannot be saved as " + extension
            + " (JPEG has no alpha channel); use png or let the mode be guessed");
      }
    }
    if (mode.equals("RGBA") && format.equals("bmp")) {
      warnings.add("bmp does not keep transparency: alpha channel dropped (mode RGB)");
      return "RGB";
    }
    return mode;
  }

  private static int channels(String mode) {
    return switch (mode) {
      case "L" -> 1;
      case "RGB" -> 3;
      case "RGBA" -> 4;
      default -> throw new IllegalStateException("mode " + mode);
    };
  }

  /** The uint8 values as contiguous rows of gray, R G B or R G B A samples (PNG's order), applying the strides. */
  static byte[] interleave(byte[] u8, Layout l, String mode) {
    int n = channels(mode);
    if (l.strideW == n * l.strideC && l.strideH == l.width * l.strideW && l.strideC == 1 && u8.length == l.height * l.strideH) {
      return u8; // already HWC with exactly these channels
    }
    byte[] out = new byte[l.height * l.width * n];
    int d = 0;
    for (int y = 0; y < l.height; y++) {
      for (int x = 0, p = y * l.strideH; x < l.width; x++, p += l.strideW) {
        for (int c = 0; c < n; c++) {
          out[d++] = u8[p + c * l.strideC];
        }
      }
    }
    return out;
  }

  /** Copies the uint8 values into an ImageIO image, applying the layout (strides). */
  static BufferedImage pack(byte[] u8, Layout l, String mode) {
    int h = l.height;
    int w = l.width;
    int sh = l.strideH;
    int sw = l.strideW;
    int sc = l.strideC;
    BufferedImage image;
    switch (mode) {
      case "L" -> {
        image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] dst = data(image);
        if (sw == 1 && sh == w) {
          System.arraycopy(u8, 0, dst, 0, w * h);
        } else {
          int d = 0;
          for (int y = 0; y < h; y++) {
            for (int x = 0, p = y * sh; x < w; x++, p += sw) {
              dst[d++] = u8[p];
            }
          }
        }
      }
      case "RGB" -> { // TYPE_3BYTE_BGR: B, G, R per pixel; from 3 channels or 4 (alpha dropped)
        image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = data(image);
        int d = 0;
        int g = sc;
        int bl = 2 * sc;
        for (int y = 0; y < h; y++) {
          for (int x = 0, p = y * sh; x < w; x++, p += sw) {
            dst[d] = u8[p + bl];
            dst[d + 1] = u8[p + g];
            dst[d + 2] = u8[p];
            d += 3;
          }
        }
      }
      case "RGBA" -> { // TYPE_4BYTE_ABGR: A, B, G, R per pixel
        image = new BufferedImage(w, h, BufferedImage.TYPE_4BYTE_ABGR);
        byte[] dst = data(image);
        int d = 0;
        int g = sc;
        int bl = 2 * sc;
        int a = 3 * sc;
        for (int y = 0; y < h; y++) {
          for (int x = 0, p = y * sh; x < w; x++, p += sw) {
            dst[d] = u8[p + a];
            dst[d + 1] = u8[p + bl];
            dst[d + 2] = u8[p + g];
            dst[d + 3] = u8[p];
            d += 4;
          }
        }
      }
      default -> throw new IllegalStateException("mode " + mode);
    }
    return image;
  }

  private static byte[] data(BufferedImage image) {
    return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
  }

  /** Encodes in memory (no ImageIO disk cache). */
  static byte[] encode(BufferedImage image, String format) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
    if (!writers.hasNext()) {
      throw new IllegalStateException("no ImageIO writer for " + format);
    }
    ImageWriter writer = writers.next();
    int estimate = image.getWidth() * image.getHeight() + 1024;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.min(estimate, 1 << 24));
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), null);
    } catch (IOException e) {
      throw new UncheckedIOException("encoding " + format + " failed", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  static String contentType(String format) {
    return switch (format) {
      case "png" -> "image/png";
      case "jpeg" -> "image/jpeg";
      case "bmp" -> "image/bmp";
      case "gif" -> "image/gif";
      default -> "application/octet-stream";
    };
  }

  /**
   * Where each (y, x, c) value of the final H x W [x C] image sits in the array's
   * row-major element order, after the optional CHW transposition and the squeeze.
   */
  static final class Layout {
    final int ndim;
    final int height;
    final int width;
    final int channels;
    final int strideH;
    final int strideW;
    final int strideC;
    final String shapeText;

    private Layout(int ndim, int height, int width, int channels, int strideH, int strideW,
        int strideC, String shapeText) {
      this.ndim = ndim;
      this.height = height;
      this.width = width;
      this.channels = channels;
      this.strideH = strideH;
      this.strideW = strideW;
      this.strideC = strideC;
      this.shapeText = shapeText;
    }

    static Layout of(long[] shape, boolean chw) {
      int k = shape.length;
      long[] strides = new long[k];
      long s = 1;
      for (int i = k - 1; i >= 0; i--) {
        strides[i] = s;
        s *= Math.max(shape[i], 1);
      }
      long[] dims = shape;
      long[] st = strides;
      String original = PixelArray.shapeText(shape);
      if (chw) {
        if (k == 3) {
          dims = new long[] {shape[1], shape[2], shape[0]};
          st = new long[] {strides[1], strides[2], strides[0]};
        } else if (k != 2) {
          throw new ImageRejectedException("unsupported shape " + original
              + " for a channels-first tensor: expected (channels, height, width)");
        }
      }
      if (dims.length > 2) { // numpy squeeze
        int kept = 0;
        for (long d : dims) {
          if (d != 1) {
            kept++;
          }
        }
        long[] nd = new long[kept];
        long[] ns = new long[kept];
        for (int i = 0, j = 0; i < dims.length; i++) {
          if (dims[i] != 1) {
            nd[j] = dims[i];
            ns[j++] = st[i];
          }
        }
        dims = nd;
        st = ns;
      }
      String text = PixelArray.shapeText(dims);
      if (!text.equals(original)) {
        text = text + " (from " + original + (chw ? " channels-first" : "") + ")";
      }
      if (dims.length != 2 && dims.length != 3) {
        throw new ImageRejectedException("unsupported shape " + original + ": an image needs 2 or 3 "
            + "dimensions (height, width[, channels]) after dropping size-1 dimensions, got "
            + PixelArray.shapeText(dims));
      }
      for (long d : dims) {
        if (d == 0) {
          throw new ImageRejectedException("empty image: shape " + text);
        }
      }
      // no dim is 0, so every dim fits an int: the element count does (checked by PixelArray)
      int channels = dims.length == 3 ? (int) dims[2] : 1;
      int strideC = dims.length == 3 ? (int) st[2] : 0;
      return new Layout(dims.length, (int) dims[0], (int) dims[1], channels, (int) st[0], (int) st[1],
          strideC, text);
    }
  }
}
