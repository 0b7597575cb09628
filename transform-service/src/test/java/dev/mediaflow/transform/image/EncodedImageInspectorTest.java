package dev.mediaflow.transform.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EncodedImageInspectorTest {

  private static byte[] imageIo(String format, int type, int width, int height) throws IOException {
    BufferedImage image = new BufferedImage(width, height, type);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, 0xFF000000 | (x * 20) << 16 | (y * 30) << 8 | 77);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(image, format, out)).as("ImageIO can write " + format).isTrue();
    return out.toByteArray();
  }

  static Stream<Arguments> pillowFiles() {
    JsonNode manifest = ImageFixtures.manifest();
    return StreamSupport.stream(manifest.get("encodedFiles").spliterator(), false)
        .map(f -> Arguments.of(f.get("file").asText(), f.get("width").asInt(), f.get("height").asInt(),
            f.get("mode").asText()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pillowFiles")
  void shouldReadSizeAndModeOfFilesWrittenByPillow(String file, int width, int height, String mode) {
    // Given
    byte[] data = ImageFixtures.resource(file);
    String extension = file.substring(file.lastIndexOf('.') + 1);

    // When
    ProcessedImage image = EncodedImageInspector.inspect(file, data);

    // Then
    assertThat(image.width()).isEqualTo(width);
    assertThat(image.height()).isEqualTo(height);
    assertThat(image.mode()).isEqualTo(mode);
    assertThat(image.extension()).isEqualTo(extension);
    assertThat(image.format()).isEqualTo(extension.equals("jpg") ? "jpeg" : extension);
    assertThat(image.contentType()).isEqualTo("image/" + image.format());
    assertThat(image.encoded()).isSameAs(data);
    assertThat(image.warnings()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"photo.png,png,png,RGB", "photo.jpg,jpg,jpeg,RGB", "photo.jpeg,jpeg,jpeg,RGB",
      "anim.gif,gif,gif,P", "scan.bmp,bmp,bmp,RGB"})
  void shouldAcceptImageIoEncodedFiles(String name, String writerFormat, String format, String mode)
      throws IOException {
    // Given
    byte[] data = imageIo(writerFormat.equals("jpg") ? "jpeg" : writerFormat, BufferedImage.TYPE_3BYTE_BGR, 11, 6);

    // When
    ProcessedImage image = EncodedImageInspector.inspect(name, data);

    // Then
    assertThat(image.width()).isEqualTo(11);
    assertThat(image.height()).isEqualTo(6);
    assertThat(image.format()).isEqualTo(format);
    assertThat(image.mode()).isEqualTo(mode);
    assertThat(image.encoded()).isSameAs(data);
  }

  @Test
  void shouldReportRgbaForPngWithAlpha() throws IOException {
    // Given
    byte[] data = imageIo("png", BufferedImage.TYPE_4BYTE_ABGR, 3, 2);

    // When / Then
    assertThat(EncodedImageInspector.inspect("a.png", data).mode()).isEqualTo("RGBA");
  }

  @Test
  void shouldTakeTypeFromNameCaseInsensitively() throws IOException {
    // Given
    byte[] data = imageIo("png", BufferedImage.TYPE_BYTE_GRAY, 4, 4);

    // When
    ProcessedImage image = EncodedImageInspector.inspect("dir.v2/IMAGE.PNG", data);

    // Then
    assertThat(image.extension()).isEqualTo("png");
    assertThat(image.mode()).isEqualTo("L");
  }

  @Test
  void shouldInspectLargeFileWithBoundedProbe() throws IOException {
    // Given: larger than the probe side, so the decode is subsampled
    byte[] data = imageIo("png", BufferedImage.TYPE_BYTE_GRAY, 3000, 5);

    // When
    ProcessedImage image = EncodedImageInspector.inspect("wide.png", data);

    // Then
    assertThat(image.width()).isEqualTo(3000);
    assertThat(image.height()).isEqualTo(5);
  }

  @ParameterizedTest
  @ValueSource(strings = {"x.png", "x.jpg", "x.gif", "x.bmp"})
  void shouldRejectGarbageBytes(String name) {
    // Given
    byte[] garbage = "this is not an image, just some text bytes......".getBytes();
    String format = name.endsWith(".jpg") ? "jpeg" : name.substring(2);

    // When / Then
    assertThatThrownBy(() -> EncodedImageInspector.inspect(name, garbage))
        .isInstanceOf(ImageRejectedException.class)
        .hasMessageStartingWith("file does not decode as " + format);
  }

  @Test
  void shouldRejectTruncatedPng() throws IOException {
    // Given
    byte[] full = imageIo("png", BufferedImage.TYPE_3BYTE_BGR, 64, 64);
    byte[] truncated = Arrays.copyOf(full, full.length / 2);

    // When / Then
    assertThatThrownBy(() -> EncodedImageInspector.inspect("cut.png", truncated))
        .isInstanceOf(ImageRejectedException.class)
        .hasMessageStartingWith("file does not decode as png");
  }

  @Test
  void shouldRejectPngBytesNamedJpg() throws IOException {
    // Given
    byte[] png = imageIo("png", BufferedImage.TYPE_3BYTE_BGR, 4, 4);

    // When / Then
    assertThatThrownBy(() -> EncodedImageInspector.inspect("photo.jpg", png))
        .isInstanceOf(ImageRejectedException.class)
        .hasMessageStartingWith("file does not decode as jpeg");
  }

  @Test
  void shouldRejectEmptyFile() {
    // Given / When / Then
    assertThatThrownBy(() -> EncodedImageInspector.inspect("empty.png", new byte[0]))
        .isInstanceOf(ImageRejectedException.class)
        .hasMessage("file does not decode as png: empty file");
  }

  @ParameterizedTest
  @CsvSource({"scan.tiff,tiff", "scan.tif,tif", "clip.webp,webp", "noextension,''", "dir.png/file,''"})
  void shouldRejectUnsupportedFileType(String name, String extension) throws IOException {
    // Given: even valid image bytes
    byte[] data = imageIo("tiff", BufferedImage.TYPE_3BYTE_BGR, 4, 4);

    // When / Then
    assertThatThrownBy(() -> EncodedImageInspector.inspect(name, data))
        .isInstanceOf(ImageRejectedException.class)
        .hasMessage("unsupported image file type '" + extension + "' for '" + name
            + "' (supported: png, jpg, jpeg, bmp, gif)");
  }
}
