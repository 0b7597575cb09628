package dev.mediaflow.transform.image;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Checks that a JPEG decodes, and reads its size and mode, with libjpeg-turbo's
 * {@code TJDecompressor} (loaded by {@link TurboJpegWriter}); several times cheaper than
 * ImageIO's reader. Makes the same decisions as {@link EncodedImageInspector}'s ImageIO path
 * (checked on a corpus by {@code TurboJpegInspectorCorpusTest}):
 * <ul>
 *   <li>the whole stream is entropy-decoded, at 1/8 scale (libjpeg's scaled IDCT) into a
 *       per-thread buffer: the pixel values are not needed, only that every scan decodes;</li>
 *   <li>only a clean decode is decided here: after any libjpeg error or <em>warning</em>
 *       (premature end of data, corrupt data) the file is left to ImageIO, whose older libjpeg
 *       treats some damaged files differently, so rejections and their messages are ImageIO's;</li>
 *   <li>CMYK/YCCK JPEGs (ImageIO reads some of them, as mode RGB) and non-Huffman JPEGs
 *       (arithmetic coding, which ImageIO refuses) are left to ImageIO too.</li>
 * </ul>
 * Thread-safe: one decompressor per call.
 */
final class TurboJpegInspector {
  private static final String PACKAGE = "org.libjpegturbo.turbojpeg.";
  private static final ThreadScratch SCRATCH = new ThreadScratch(16 << 20);

  /** Width, height and mode of a JPEG that decodes. */
  record Probe(int width, int height, String mode) {}

  private final MethodHandle newDecompressor;
  private final MethodHandle setSourceImage;
  private final MethodHandle getWidth;
  private final MethodHandle getHeight;
  private final MethodHandle getColorspace;
  private final MethodHandle getScaledWidth;
  private final MethodHandle getScaledHeight;
  private final MethodHandle decompress;
  private final MethodHandle close;
  private final Class<?> tjException;
  private final int csGray;
  private final int csCmyk;
  private final int csYcck;
  private final int pfRgb;
  private final int pfGray;
  private final int fastFlags;

  TurboJpegInspector(ClassLoader loader) throws ReflectiveOperationException {
    Class<?> tj = Class.forName(PACKAGE + "TJ", true, loader);
    Class<?> decompressor = Class.forName(PACKAGE + "TJDecompressor", true, loader);
    tjException = Class.forName(PACKAGE + "TJException", true, loader);
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    newDecompressor = lookup.findConstructor(decompressor, MethodType.methodType(void.class));
    setSourceImage = lookup.findVirtual(decompressor, "setSourceImage",
        MethodType.methodType(void.class, byte[].class, int.class));
    getWidth = lookup.findVirtual(decompressor, "getWidth", MethodType.methodType(int.class));
    getHeight = lookup.findVirtual(decompressor, "getHeight", MethodType.methodType(int.class));
    getColorspace = lookup.findVirtual(decompressor, "getColorspace", MethodType.methodType(int.class));
    getScaledWidth = lookup.findVirtual(decompressor, "getScaledWidth",
        MethodType.methodType(int.class, int.class, int.class));
    getScaledHeight = lookup.findVirtual(decompressor, "getScaledHeight",
        MethodType.methodType(int.class, int.class, int.class));
    decompress = lookup.findVirtual(decompressor, "decompress", MethodType.methodType(void.class,
        byte[].class, int.class, int.class, int.class, int.class, int.class, int.class, int.class));
    close = lookup.findVirtual(decompressor, "close", MethodType.methodType(void.class));
    csGray = tj.getField("CS_GRAY").getInt(null);
    csCmyk = tj.getField("CS_CMYK").getInt(null);
    csYcck = tj.getField("CS_YCCK").getInt(null);
    pfRgb = tj.getField("PF_RGB").getInt(null);
    pfGray = tj.getField("PF_GRAY").getInt(null);
    // pixel values are thrown away: the fast IDCT and upsampling still decode every scan
    fastFlags = tj.getField("FLAG_FASTDCT").getInt(null) | tj.getField("FLAG_FASTUPSAMPLE").getInt(null);
  }

  /**
   * @return the probe of a JPEG libjpeg-turbo decodes cleanly, else {@code null}: the caller
   *     checks the file with ImageIO (rare: damaged files, CMYK/YCCK, arithmetic coding)
   */
  Probe inspect(byte[] data) {
    if (!huffmanCoded(data)) {
      return null;
    }
    try {
      Object tj = newDecompressor.invoke();
      try {
        int width;
        int height;
        int colorspace;
        try {
          setSourceImage.invoke(tj, data, data.length); // reads the header
          // the binding leaves the size unset (and getWidth throws) when the header was unusable
          width = (int) getWidth.invoke(tj);
          height = (int) getHeight.invoke(tj);
          colorspace = (int) getColorspace.invoke(tj);
        } catch (Throwable e) {
          return leaveToImageIo(e);
        }
        if (colorspace == csCmyk || colorspace == csYcck) {
          // ImageIO accepts some of these and not others (ICC profile, Adobe marker): let it decide
          return null;
        }
        // decoded at 1/8 scale: every scan is still entropy-decoded (where a damaged file fails
        // or warns), only the IDCT and colour conversion shrink to the DC terms
        int wantWidth = (width + 7) / 8;
        int wantHeight = (height + 7) / 8;
        int scaledWidth = (int) getScaledWidth.invoke(tj, wantWidth, wantHeight);
        int scaledHeight = (int) getScaledHeight.invoke(tj, wantWidth, wantHeight);
        boolean gray = colorspace == csGray;
        int channels = gray ? 1 : 3;
        // at most 8192 x 8192 x 3 (JPEG sides are 16-bit): fits an int
        byte[] pixels = SCRATCH.get(scaledWidth * scaledHeight * channels);
        try {
          decompress.invoke(tj, pixels, 0, 0, scaledWidth, scaledWidth * channels, scaledHeight,
              gray ? pfGray : pfRgb, fastFlags);
        } catch (Throwable e) {
          return leaveToImageIo(e);
        }
        return new Probe(width, height, gray ? "L" : "RGB");
      } finally {
        close.invoke(tj);
      }
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("libjpeg-turbo failed to start a decompressor", e);
    }
  }

  /**
   * Whether the frame header before the first scan is a Huffman one (SOF0..3, 5..7):
   * libjpeg-turbo also decodes arithmetic-coded JPEGs, which ImageIO's libjpeg 6b refuses, so
   * anything else is left to ImageIO. An unreadable marker structure answers {@code true}
   * (libjpeg-turbo then rejects the file, as ImageIO does).
   */
  static boolean huffmanCoded(byte[] data) {
    int at = 2;
    while (at + 4 <= data.length) {
      if ((data[at] & 0xFF) != 0xFF) {
        return true;
      }
      int marker = data[at + 1] & 0xFF;
      if (marker == 0xFF) { // fill byte
        at++;
        continue;
      }
      if (marker == 0xDA) { // start of scan, no frame header seen
        return true;
      }
      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
        return marker <= 0xC3 || (marker >= 0xC5 && marker <= 0xC7);
      }
      at += 2 + ((data[at + 2] & 0xFF) << 8 | (data[at + 3] & 0xFF));
    }
    return true;
  }

  /**
   * A damaged file (libjpeg error or warning: truncated, corrupt data, bad markers): ImageIO's
   * libjpeg 6b and libjpeg-turbo part ways on some of these (e.g. a cut Huffman table is an
   * error for one and a warning for the other), so ImageIO decides, with its own message.
   */
  private Probe leaveToImageIo(Throwable e) {
    if (e instanceof Error error) {
      throw error;
    }
    if (tjException.isInstance(e) || e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
      return null;
    }
    throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
  }
}
