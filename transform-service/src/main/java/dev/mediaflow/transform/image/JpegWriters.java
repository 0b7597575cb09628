package dev.mediaflow.transform.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the JPEG writer once per JVM: libjpeg-turbo ({@link TurboJpegWriter}) when Debian's
 * {@code libturbojpeg-java} and {@code libturbojpeg0} are installed, else the JDK's
 * ({@link ImageIoJpegWriter}). Both write Pillow's bytes; libjpeg-turbo is about 3× faster.
 *
 * <p>System properties (read at start-up):
 * <ul>
 *   <li>{@value #ENCODER_PROPERTY}: {@code auto} (default) or {@code imageio} (never load native code);</li>
 *   <li>{@value #JAR_PROPERTY}: the binding's jar (default {@value #DEFAULT_JAR});</li>
 *   <li>{@value #LIBRARY_PROPERTY}: the native library (default: the first
 *       {@code libturbojpeg.so.0} or {@code libturbojpeg.so} in the usual library directories
 *       and {@code java.library.path}).</li>
 * </ul>
 * TurboJPEG reads the environment variables {@code TJ_OPTIMIZE}, {@code TJ_ARITHMETIC},
 * {@code TJ_RESTART} and {@code TJ_PROGRESSIVE}, which change the bytes it writes; when one
 * is set, the JDK's writer is used.
 */
final class JpegWriters {
  static final String ENCODER_PROPERTY = "mediaflow.jpeg.encoder";
  static final String JAR_PROPERTY = "mediaflow.turbojpeg.jar";
  static final String LIBRARY_PROPERTY = "mediaflow.turbojpeg.library";
  static final String DEFAULT_JAR = "/usr/share/java/turbojpeg.jar";
  static final List<String> TURBOJPEG_ENVIRONMENT = List.of("TJ_OPTIMIZE", "TJ_ARITHMETIC", "TJ_RESTART",
      "TJ_PROGRESSIVE");
  private static final List<String> LIBRARY_DIRECTORIES = List.of("/usr/lib/x86_64-linux-gnu",
      "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/opt/libjpeg-turbo/lib64");
  private static final Logger LOG = LoggerFactory.getLogger(JpegWriters.class);
  private static final JpegWriter ACTIVE = fromSystem();

  private JpegWriters() {}

  /** The writer chosen at start-up. */
  static JpegWriter active() {
    return ACTIVE;
  }

  private static JpegWriter fromSystem() {
    Path library = System.getProperty(LIBRARY_PROPERTY) != null ? Path.of(System.getProperty(LIBRARY_PROPERTY))
        : findLibrary(System.getProperty("java.library.path", ""));
    JpegWriter writer = choose(System.getProperty(ENCODER_PROPERTY, "auto"),
        Path.of(System.getProperty(JAR_PROPERTY, DEFAULT_JAR)), library, System.getenv());
    LOG.info("JPEG writer: {}", writer.name());
    return writer;
  }

  /**
   * @param setting {@code auto} or {@code imageio}
   * @param jar TurboJPEG's Java binding
   * @param library {@code libturbojpeg.so[.0]}, or {@code null} when none was found
   * @param environment the process environment (the {@code TJ_*} variables are checked)
   */
  static JpegWriter choose(String setting, Path jar, Path library, Map<String, String> environment) {
    if (setting.equals("imageio")) {
      return new ImageIoJpegWriter();
    }
    if (!setting.equals("auto")) {
      throw new IllegalArgumentException(ENCODER_PROPERTY + " must be auto or imageio, not '" + setting + "'");
    }
    String reason = unusableReason(jar, library, environment);
    if (reason == null) {
      try {
        return TurboJpegWriter.load(jar, library);
      } catch (ReflectiveOperationException | LinkageError e) {
        reason = "loading it failed: " + e;
      }
    }
    LOG.info("libjpeg-turbo not used ({}); JPEG through ImageIO (same bytes, slower)", reason);
    return new ImageIoJpegWriter();
  }

  private static String unusableReason(Path jar, Path library, Map<String, String> environment) {
    if (!Files.isRegularFile(jar)) {
      return jar + " is missing (Debian package libturbojpeg-java)";
    }
    if (library == null || !Files.isRegularFile(library)) {
      return "libturbojpeg.so.0 not found (Debian package libturbojpeg0)";
    }
    for (String variable : TURBOJPEG_ENVIRONMENT) {
      if (environment.get(variable) != null && !environment.get(variable).isEmpty()) {
        return variable + " is set, which would change TurboJPEG's output";
      }
    }
    return null;
  }

  /** The first libturbojpeg.so.0 (or .so) in java.library.path, then the usual library directories. */
  static Path findLibrary(String javaLibraryPath) {
    List<String> directories = new ArrayList<>(Arrays.asList(javaLibraryPath.split(java.io.File.pathSeparator)));
    directories.addAll(LIBRARY_DIRECTORIES);
    for (String directory : directories) {
      for (String name : List.of("libturbojpeg.so.0", "libturbojpeg.so")) {
        if (!directory.isBlank() && Files.isRegularFile(Path.of(directory, name))) {
          return Path.of(directory, name);
        }
      }
    }
    return null;
  }
}
