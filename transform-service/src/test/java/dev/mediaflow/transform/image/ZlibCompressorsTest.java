package dev.mediaflow.transform.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which PNG compressor is chosen (libdeflate when installed, else the JDK's zlib), and that both write zlib streams. */
class ZlibCompressorsTest {

  /** libdeflate from Debian's libdeflate0, or {@code null} when it is not installed. */
  static ZlibCompressor installedLibdeflate() {
    Path library = ZlibCompressors.findLibrary("");
    if (library == null) {
      return null;
    }
    ZlibCompressor compressor = ZlibCompressors.choose("auto", library);
    assertThat(compressor.name()).as("installed but not loaded").isEqualTo("libdeflate");
    return compressor;
  }

  @Test
  void shouldPickLibdeflateWhenTheDebianPackageIsInstalled() {
    Assumptions.assumeTrue(ZlibCompressors.findLibrary("") != null, "SKIPPED: libdeflate0 not installed");

    assertThat(installedLibdeflate().name()).isEqualTo("libdeflate");
    assertThat(ZlibCompressors.active().name()).isEqualTo("libdeflate");
  }

  @Test
  void shouldFallBackToZlibWhenTheLibraryIsAbsent(@TempDir Path dir) {
    assertThat(ZlibCompressors.choose("auto", null).name()).isEqualTo("zlib");
    assertThat(ZlibCompressors.choose("auto", dir.resolve("libdeflate.so.0")).name()).isEqualTo("zlib");
  }

  @Test
  void shouldFallBackToZlibWhenTheLibraryDoesNotLoad(@TempDir Path dir) throws Exception {
    Path notALibrary = Files.writeString(dir.resolve("libdeflate.so.0"), "not an ELF file");

    assertThat(ZlibCompressors.choose("auto", notALibrary).name()).isEqualTo("zlib");
  }

  @Test
  void shouldUseZlibWhenForcedBySystemPropertyValue() {
    assertThat(ZlibCompressors.choose("zlib", ZlibCompressors.findLibrary("")).name()).isEqualTo("zlib");
  }

  @Test
  void shouldRejectAnUnknownSetting() {
    assertThatThrownBy(() -> ZlibCompressors.choose("zopfli", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(ZlibCompressors.COMPRESSOR_PROPERTY);
  }

  @Test
  void everyCompressorAndLevelShouldWriteAZlibStreamOfTheInput() throws DataFormatException {
    byte[] data = new byte[200_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i % 251 < 120 ? i / 1000 : i * 31 >>> 3);
    }
    for (ZlibCompressor compressor : new ZlibCompressor[] {new JdkZlibCompressor(), installedLibdeflate()}) {
      if (compressor == null) {
        continue; // libdeflate not installed: shouldPickLibdeflate… says so
      }
      for (int level = 0; level <= compressor.maxLevel(); level++) {
        byte[] stream = compressor.compress(data, data.length, level);
        Inflater inflater = new Inflater();
        inflater.setInput(stream);
        byte[] back = new byte[data.length + 1];
        int n = inflater.inflate(back);
        assertThat(inflater.finished()).as(compressor.name() + " level " + level + " stream complete").isTrue();
        inflater.end();
        assertThat(java.util.Arrays.copyOf(back, n)).as(compressor.name() + " level " + level).isEqualTo(data);
        if (level > 0) {
          assertThat(stream.length).as(compressor.name() + " level " + level + " compresses").isLessThan(data.length / 2);
        }
      }
    }
  }
}
