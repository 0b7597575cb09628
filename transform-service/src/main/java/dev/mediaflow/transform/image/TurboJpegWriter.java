package dev.mediaflow.transform.image;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * libjpeg-turbo (the library Pillow links) through TurboJPEG's Java binding, Debian's
 * {@code libturbojpeg-java} ({@code /usr/share/java/turbojpeg.jar}) over {@code libturbojpeg0}.
 *
 * <p>The jar is not on Maven Central, so it is loaded at run time in its own class loader,
 * and called through method handles. That loader also tells the binding where the native
 * library is: the binding asks for {@code libturbojpeg.so}, which only the {@code -dev}
 * package provides; the runtime package has {@code libturbojpeg.so.0} (same library).
 *
 * <p>Pillow's bytes need {@code FLAG_ACCURATEDCT}: below quality 96 TurboJPEG otherwise
 * picks the fast integer DCT, where Pillow keeps libjpeg's default, the accurate one.
 */
final class TurboJpegWriter implements JpegWriter {
  private static final String PACKAGE = "org.libjpegturbo.turbojpeg.";
  private static final Map<List<Path>, TurboJpegWriter> LOADED = new HashMap<>();
  private static final ThreadScratch SCRATCH = new ThreadScratch(16 << 20);

  private final MethodHandle newCompressor;
  private final MethodHandle setSourceImage;
  private final MethodHandle setSubsamp;
  private final MethodHandle setQuality;
  private final MethodHandle compress;
  private final MethodHandle bufferSize;
  private final MethodHandle compressedSize;
  private final MethodHandle close;
  private final int samp420;
  private final int sampGray;
  private final int pfRgb;
  private final int pfGray;
  private final int accurateDct;
  private final TurboJpegInspector inspector;

  private TurboJpegWriter(ClassLoader loader) throws ReflectiveOperationException {
    Class<?> tj = Class.forName(PACKAGE + "TJ", true, loader);
    Class<?> compressor = Class.forName(PACKAGE + "TJCompressor", true, loader);
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    newCompressor = lookup.findConstructor(compressor, MethodType.methodType(void.class));
    setSourceImage = lookup.findVirtual(compressor, "setSourceImage", MethodType.methodType(void.class,
        byte[].class, int.class, int.class, int.class, int.class, int.class, int.class));
    setSubsamp = lookup.findVirtual(compressor, "setSubsamp", MethodType.methodType(void.class, int.class));
    setQuality = lookup.findVirtual(compressor, "setJPEGQuality", MethodType.methodType(void.class, int.class));
    compress = lookup.findVirtual(compressor, "compress", MethodType.methodType(void.class, byte[].class, int.class));
    bufferSize = lookup.findStatic(tj, "bufSize", MethodType.methodType(int.class, int.class, int.class, int.class));
    compressedSize = lookup.findVirtual(compressor, "getCompressedSize", MethodType.methodType(int.class));
    close = lookup.findVirtual(compressor, "close", MethodType.methodType(void.class));
    samp420 = tj.getField("SAMP_420").getInt(null);
    sampGray = tj.getField("SAMP_GRAY").getInt(null);
    pfRgb = tj.getField("PF_RGB").getInt(null);
    pfGray = tj.getField("PF_GRAY").getInt(null);
    accurateDct = tj.getField("FLAG_ACCURATEDCT").getInt(null);
    // same class loader: the native library is bound to it
    inspector = new TurboJpegInspector(loader);
  }

  /** The decoder side of the same binding, for {@link EncodedImageInspector}. */
  TurboJpegInspector inspector() {
    return inspector;
  }

  /**
   * Loads the binding from {@code jar} with the native library {@code library}.
   *
   * @throws ReflectiveOperationException or {@link LinkageError} when either is missing or unusable
   */
  static TurboJpegWriter load(Path jar, Path library) throws ReflectiveOperationException {
    // a JVM binds a native library to one class loader only: load each (jar, library) file once
    List<Path> key = List.of(realPath(jar), realPath(library));
    synchronized (LOADED) {
      TurboJpegWriter writer = LOADED.get(key);
      if (writer == null) {
        writer = new TurboJpegWriter(new NativePathLoader(url(key.get(0)), key.get(1)));
        LOADED.put(key, writer);
      }
      return writer;
    }
  }

  private static Path realPath(Path file) throws ClassNotFoundException {
    try {
      return file.toRealPath();
    } catch (IOException e) {
      throw new ClassNotFoundException("cannot resolve " + file, e);
    }
  }

  private static URL url(Path jar) throws ClassNotFoundException {
    try {
      return jar.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new ClassNotFoundException("bad jar path " + jar, e);
    }
  }

  @Override
  public byte[] write(byte[] pixels, int width, int height, int channels, int quality) {
    try {
      Object tj = newCompressor.invoke();
      try {
        setSourceImage.invoke(tj, pixels, 0, 0, width, width * channels, height, channels == 1 ? pfGray : pfRgb);
        int subsampling = channels == 1 ? sampGray : samp420;
        setSubsamp.invoke(tj, subsampling);
        setQuality.invoke(tj, quality);
        byte[] buffer = SCRATCH.get((int) bufferSize.invoke(width, height, subsampling));
        compress.invoke(tj, buffer, accurateDct);
        return Arrays.copyOf(buffer, (int) compressedSize.invoke(tj));
      } finally {
        close.invoke(tj);
      }
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) { // TJException: a checked exception of the binding
      throw new IllegalStateException("libjpeg-turbo failed to encode a " + width + "x" + height + " image", e);
    }
  }

  @Override
  public String name() {
    return "turbojpeg";
  }

  /** The binding's class loader: {@code System.loadLibrary("turbojpeg")} there resolves to {@code library}. */
  private static final class NativePathLoader extends URLClassLoader {
    private final Path library;

    NativePathLoader(URL jar, Path library) {
      super(new URL[] {jar}, TurboJpegWriter.class.getClassLoader());
      this.library = library;
    }

    @Override
    protected String findLibrary(String name) {
      return name.equals("turbojpeg") ? library.toString() : super.findLibrary(name);
    }
  }
}
