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
 *   <li>an error rejects the file; after a libjpeg <em>warning</em> (premature end of data,
 *       corrupt data) the file is left to ImageIO, whose older libjpeg treats some damaged
 *       files differently;</li>
 *   <li>CMYK/YCCK JPEGs (ImageIO reads some of them, as mode RGB) and non-Huffman JPEGs
 *       (arithmetic coding, which ImageIO refuses) are left to ImageIO too.</li>
 * </ul>
 * Thread-safe: one decompressor per call.
 */
final class TurboJpegInspector {
  private static final String PACKAGE = "org.libjpegturbo.turbojpeg.";
  private static final int MAX_KEPT_BUFFER = 16 << 20;
  private static final ThreadLocal<byte[]> SCRATCH = new ThreadLocal<>();

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
  private final MethodHandle errorCode;
  private final Class<?> tjException;
  private final int csGray;
  private final int csCmyk;
  private final int csYcck;
  private final int pfRgb;
  private final int pfGray;
  private final int errWarning;
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
    errorCode = lookup.findVirtual(tjException, "getErrorCode", MethodType.methodType(int.class));
    csGray = tj.getField("CS_GRAY").getInt(null);
    csCmyk = tj.getField("CS_CMYK").getInt(null);
    csYcck = tj.getField("CS_YCCK").getInt(null);
    pfRgb = tj.getField("PF_RGB").getInt(null);
    pfGray = tj.getField("PF_GRAY").getInt(null);
    errWarning = tj.getField("ERR_WARNING").getInt(null);
    // pixel values are thrown away: the fast IDCT and upsampling still decode every scan
    fastFlags = tj.getField("FLAG_FASTDCT").getInt(null) | tj.getField("FLAG_FASTUPSAMPLE").getInt(null);
  }

  /**
   * @return the probe, or {@code null} for a file the caller must check with ImageIO to keep
   *     its decisions (rare: CMYK/YCCK, arithmetic coding, decoded with a warning)
   * @throws ImageRejectedException "file does not decode as jpeg: ..." when libjpeg-turbo fails
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
          throw rejection(e);
        }
        if (colorspace == csCmyk || colorspace == csYcck) {
          // ImageIO accepts some of these and not others (ICC profile, Adobe marker): let it decide
          return null;
        }
        if (width <= 0 || height <= 0) {
          throw new ImageRejectedException("file does not decode as jpeg: size " + width + "x" + height);
        }
        // decoded at 1/8 scale: every scan is still entropy-decoded (where a damaged file fails
        // or warns), only the IDCT and colour conversion shrink to the DC terms
        int wantWidth = (width + 7) / 8;
        int wantHeight = (height + 7) / 8;
        int scaledWidth = (int) getScaledWidth.invoke(tj, wantWidth, wantHeight);
        int scaledHeight = (int) getScaledHeight.invoke(tj, wantWidth, wantHeight);
        boolean gray = colorspace == csGray;
        int channels = gray ? 1 : 3;
        byte[] pixels = buffer((long) scaledWidth * scaledHeight * channels);
        try {
          decompress.invoke(tj, pixels, 0, 0, scaledWidth, scaledWidth * channels, scaledHeight,
              gray ? pfGray : pfRgb, fastFlags);
        } catch (Throwable e) {
          if (isWarning(e)) {
            // a damaged file (truncated, corrupt data): libjpeg 6b in ImageIO and libjpeg-turbo
            // part ways on some of these (e.g. a cut Huffman table), so ImageIO decides
            return null;
          }
          throw rejection(e);
        }
        return new Probe(width, height, gray ? "L" : "RGB");
      } finally {
        close.invoke(tj);
      }
    } catch (ImageRejectedException | Error e) {
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

  private boolean isWarning(Throwable e) throws Throwable {
    return tjException.isInstance(e) && (int) errorCode.invoke(e) == errWarning;
  }

  private ImageRejectedException rejection(Throwable e) {
    if (e instanceof Error error) {
      throw error;
    }
    if (!(tjException.isInstance(e) || e instanceof IllegalArgumentException || e instanceof IllegalStateException)) {
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
    String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new ImageRejectedException("file does not decode as jpeg: " + detail, e);
  }

  private static byte[] buffer(long size) {
    if (size > Integer.MAX_VALUE - 8) {
      throw new ImageRejectedException("file does not decode as jpeg: image too large (" + size + " bytes decoded)");
    }
    byte[] kept = SCRATCH.get();
    if (kept != null && kept.length >= size) {
      return kept;
    }
    byte[] fresh = new byte[(int) size];
    if (size <= MAX_KEPT_BUFFER) {
      SCRATCH.set(fresh);
    }
    return fresh;
  }
}
