package dev.mediaflow.transform.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which JPEG writer is chosen: libjpeg-turbo when it is installed and usable, else ImageIO. */
class JpegWritersTest {
  private static final Path JAR = Path.of(JpegWriters.DEFAULT_JAR);

  /** TurboJPEG from the Debian packages, or {@code null} when they are not installed. */
  static JpegWriter installedTurboJpeg() {
    Path library = JpegWriters.findLibrary("");
    if (!Files.isRegularFile(JAR) || library == null) {
      return null;
    }
    JpegWriter writer = JpegWriters.choose("auto", JAR, library, Map.of());
    assertThat(writer.name()).as("installed but not loaded").isEqualTo("turbojpeg");
    return writer;
  }

  @Test
  void shouldPickTurboJpegWhenTheDebianPackagesAreInstalled() {
    Assumptions.assumeTrue(Files.isRegularFile(JAR) && JpegWriters.findLibrary("") != null,
        "SKIPPED: libturbojpeg-java / libturbojpeg0 not installed");

    assertThat(JpegWriters.choose("auto", JAR, JpegWriters.findLibrary(""), Map.of()).name()).isEqualTo("turbojpeg");
    assertThat(JpegWriters.active().name()).isEqualTo("turbojpeg");
  }

  @Test
  void shouldFallBackToImageIoWhenTheJarIsAbsent(@TempDir Path dir) {
    assertThat(JpegWriters.choose("auto", dir.resolve("turbojpeg.jar"), JpegWriters.findLibrary(""), Map.of()).name())
        .isEqualTo("imageio");
  }

  @Test
  void shouldFallBackToImageIoWhenTheNativeLibraryIsAbsent(@TempDir Path dir) {
    assertThat(JpegWriters.choose("auto", JAR, null, Map.of()).name()).isEqualTo("imageio");
    assertThat(JpegWriters.choose("auto", JAR, dir.resolve("libturbojpeg.so.0"), Map.of()).name())
        .isEqualTo("imageio");
  }

  @Test
  void shouldFallBackToImageIoWhenTheNativeLibraryDoesNotLoad(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(Files.isRegularFile(JAR), "SKIPPED: libturbojpeg-java not installed");
    Path notALibrary = Files.writeString(dir.resolve("libturbojpeg.so.0"), "not an ELF file");

    assertThat(JpegWriters.choose("auto", JAR, notALibrary, Map.of()).name()).isEqualTo("imageio");
  }

  @Test
  void shouldUseImageIoWhenForcedBySystemPropertyValue() {
    assertThat(JpegWriters.choose("imageio", JAR, JpegWriters.findLibrary(""), Map.of()).name()).isEqualTo("imageio");
  }

  @Test
  void shouldUseImageIoWhenATurboJpegVariableWouldChangeTheBytes() {
    assertThat(JpegWriters.choose("auto", JAR, JpegWriters.findLibrary(""), Map.of("TJ_OPTIMIZE", "1")).name())
        .isEqualTo("imageio");
  }

  @Test
  void shouldRejectAnUnknownSetting() {
    assertThatThrownBy(() -> JpegWriters.choose("libjpeg", JAR, null, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(JpegWriters.ENCODER_PROPERTY);
  }
}
