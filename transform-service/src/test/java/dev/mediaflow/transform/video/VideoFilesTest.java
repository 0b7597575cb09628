package dev.mediaflow.transform.video;

import dev.mediaflow.transform.EncodedMedia;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.transform.image.PixelArray;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VideoFilesTest {

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] box(String type, int size) {
    byte[] b = new byte[size];
    b[0] = (byte) (size >>> 24);
    b[1] = (byte) (size >>> 16);
    b[2] = (byte) (size >>> 8);
    b[3] = (byte) size;
    System.arraycopy(ascii(type), 0, b, 4, 4);
    return b;
  }

  /** The start of a file of each type, by its content. */
  static byte[] sample(String type) {
    return switch (type) {
      case "gif" -> concat(ascii("GIF89a"), new byte[] {10, 0, 7, 0}, new byte[10]);
      case "mp4" -> concat(box("ftyp", 24), box("mdat", 8));
      case "webm" -> new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, (byte) 0x9F, 0x42, (byte) 0x86};
      case "ogg" -> concat(ascii("OggS"), new byte[23]);
      default -> throw new IllegalArgumentException(type);
    };
  }

  @ParameterizedTest
  @CsvSource({
      "run/clip.gif, gif, image/gif",
      "clip.mp4, mp4, video/mp4",
      "clip.webm, webm, video/webm",
      "clip.ogg, ogg, video/ogg",
      "CLIP.MP4, mp4, video/mp4",
      "a.b.WebM, webm, video/webm"})
  void shouldStoreEveryListedTypeAsIs(String name, String type, String contentType) {
    // Given
    byte[] data = sample(type);

    // When
    EncodedMedia video = VideoFiles.inspect(name, data);

    // Then
    assertThat(video.data()).isSameAs(data);
    assertThat(video.extension()).isEqualTo(type);
    assertThat(video.contentType()).isEqualTo(contentType);
    assertThat(video.metadata()).containsEntry("format", type).containsEntry("bytes", data.length);
    assertThat(video.warnings()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"clip.avi", "clip.mkv", "clip.mov", "clip.png", "clip", "gif", "clip.gif.txt",
      "dir.gif/clip"})
  void shouldRejectOtherTypes(String name) {
    // When / Then
    assertThatThrownBy(() -> VideoFiles.inspect(name, sample("gif")))
        .isInstanceOf(VideoRejectedException.class)
        .hasMessageStartingWith("unsupported video type '")
        .hasMessageEndingWith("' for '" + name + "' (supported: gif, mp4, webm, ogg)");
  }

  @Test
  void shouldNameTheTypeOfARejectedFile() {
    // When / Then
    assertThatThrownBy(() -> VideoFiles.inspect("x/clip.AVI", sample("gif")))
        .hasMessage("unsupported video type 'avi' for 'x/clip.AVI' (supported: gif, mp4, webm, ogg)");
  }

  @ParameterizedTest
  @CsvSource({"clip.gif, mp4", "clip.mp4, webm", "clip.webm, ogg", "clip.ogg, gif"})
  void shouldRejectContentThatContradictsTheName(String name, String actualType) {
    // When / Then
    assertThatThrownBy(() -> VideoFiles.inspect(name, sample(actualType)))
        .isInstanceOf(VideoRejectedException.class)
        .hasMessageStartingWith("video file '" + name + "' is not a ");
  }

  @Test
  void shouldRejectAGif87aLookalikeWithAnotherVersion() {
    // When / Then
    assertThatThrownBy(() -> VideoFiles.inspect("a.gif", concat(ascii("GIF90a"), new byte[10])))
        .hasMessage("video file 'a.gif' is not a gif file (expected GIF87a or GIF89a)");
  }

  @Test
  void shouldAcceptAnMp4WhoseFtypFollowsAFreeBox() {
    // Given
    byte[] data = concat(box("free", 16), box("ftyp", 20));

    // When / Then
    assertThat(VideoFiles.inspect("a.mp4", data).extension()).isEqualTo("mp4");
  }

  @Test
  void shouldRejectAnMp4WithoutFtypBox() {
    // Given: an mdat first is not a file a browser can start playing
    byte[] data = concat(box("mdat", 16), box("ftyp", 20));

    // When / Then
    assertThatThrownBy(() -> VideoFiles.inspect("a.mp4", data))
        .hasMessage("video file 'a.mp4' is not a mp4 file (expected an ISO-BMFF 'ftyp' box)");
  }

  @Test
  void shouldRejectAnEmptyFile() {
    // When / Then
    assertThatThrownBy(() -> VideoFiles.inspect("a.webm", new byte[0]))
        .isInstanceOf(VideoRejectedException.class)
        .hasMessage("video file 'a.webm' is empty");
  }

  @Test
  void shouldReportTheSizeOfAGifFromItsScreenDescriptor() {
    // Given: a GIF the encoder wrote
    byte[] gif = VideoEncoder.fromFrames(PixelArray.of(PixelArray.Dtype.UINT8, new long[] {2, 1, 7, 300},
        new byte[2 * 7 * 300])).data();

    // When
    EncodedMedia video = VideoFiles.inspect("a.gif", gif);

    // Then
    assertThat(video.metadata()).containsEntry("width", 300).containsEntry("height", 7);
  }
}
