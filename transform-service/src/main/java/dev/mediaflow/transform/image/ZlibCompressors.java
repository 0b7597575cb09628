package dev.mediaflow.transform.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the PNG compressor once per JVM: libdeflate ({@link LibdeflateCompressor}) when
 * Debian's {@code libdeflate0} is installed, else the JDK's zlib ({@link JdkZlibCompressor}).
 * Either way the PNG decodes to the same pixels; only speed and size differ.
 *
 * <p>System properties (read at start-up): {@value #COMPRESSOR_PROPERTY} = {@code auto}
 * (default) or {@code zlib} (never load native code); {@value #LIBRARY_PROPERTY}: the library
 * (default: the first {@code libdeflate.so.0} or {@code libdeflate.so} in
 * {@code java.library.path} and the usual library directories).
 */
final class ZlibCompressors {
  static final String COMPRESSOR_PROPERTY = "mediaflow.png.compressor";
  static final String LIBRARY_PROPERTY = "mediaflow.libdeflate.library";
  private static final List<String> LIBRARY_DIRECTORIES = List.of("/usr/lib/x86_64-linux-gnu",
      "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib");
  private static final Logger LOG = LoggerFactory.getLogger(ZlibCompressors.class);
  private static final ZlibCompressor ACTIVE = fromSystem();

  private ZlibCompressors() {}

  /** The compressor chosen at start-up. */
  static ZlibCompressor active() {
    return ACTIVE;
  }

  private static ZlibCompressor fromSystem() {
    String path = System.getProperty(LIBRARY_PROPERTY);
    Path library = path != null ? Path.of(path) : findLibrary(System.getProperty("java.library.path", ""));
    ZlibCompressor compressor = choose(System.getProperty(COMPRESSOR_PROPERTY, "auto"), library);
    LOG.info("PNG compressor: {}", compressor.name());
    return compressor;
  }

  /**
   * @param setting {@code auto} or {@code zlib}
   * @param library libdeflate's shared library, or {@code null} when none was found
   */
  static ZlibCompressor choose(String setting, Path library) {
    if (setting.equals("zlib")) {
      return new JdkZlibCompressor();
    }
    if (!setting.equals("auto")) {
      throw new IllegalArgumentException(COMPRESSOR_PROPERTY + " must be auto or zlib, not '" + setting + "'");
    }
    if (library == null || !Files.isRegularFile(library)) {
      LOG.info("libdeflate not found (Debian package libdeflate0); PNG through the JDK's zlib (slower)");
      return new JdkZlibCompressor();
    }
    try {
      return LibdeflateCompressor.load(library);
    } catch (LinkageError e) {
      LOG.info("libdeflate not used ({}); PNG through the JDK's zlib (slower)", e.toString());
      return new JdkZlibCompressor();
    }
  }

  /** The first libdeflate.so.0 (or .so) in java.library.path, then the usual library directories. */
  static Path findLibrary(String javaLibraryPath) {
    List<String> directories = new ArrayList<>(Arrays.asList(javaLibraryPath.split(java.io.File.pathSeparator)));
    directories.addAll(LIBRARY_DIRECTORIES);
    for (String directory : directories) {
      for (String name : List.of("libdeflate.so.0", "libdeflate.so")) {
        if (!directory.isBlank() && Files.isRegularFile(Path.of(directory, name))) {
          return Path.of(directory, name);
        }
      }
    }
    return null;
  }
}
