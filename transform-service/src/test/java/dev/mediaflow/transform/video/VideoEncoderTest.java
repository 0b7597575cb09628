package dev.mediaflow.transform.video;

import dev.mediaflow.transform.EncodedMedia;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.mediaflow.transform.MediaRejectedException;
import dev.mediaflow.transform.image.PixelArray;
import dev.mediaflow.transform.image.PixelArray.Dtype;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VideoEncoderTest {

  interface Pixel {
    int value(int t, int c, int y, int x);
  }

  /** uint8 frames (time, channels, height, width). */
  static PixelArray frames(int t, int c, int h, int w, Pixel p) {
    byte[] data = new byte[t * c * h * w];
    int i = 0;
    for (int ti = 0; ti < t; ti++) {
      for (int ci = 0; ci < c; ci++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            data[i++] = (byte) p.value(ti, ci, y, x);
          }
        }
      }
    }
    return PixelArray.of(Dtype.UINT8, new long[] {t, c, h, w}, data);
  }

  static PixelArray uint8(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return PixelArray.of(Dtype.UINT8, shape, new byte[(int) n]);
  }

  // ----------------------------------------------------------------------------- encoding

  @Test
  void shouldEncodeAnAnimatedGifThatDecodesToTheFramesSizeAndDelay() {
    // Given: 5 RGB frames of 8x6
    PixelArray frames = frames(5, 3, 6, 8, (t, c, y, x) -> c == 0 ? 40 * t : c == 1 ? 30 * y : 20 * x);

    // When
    EncodedMedia video = VideoEncoder.fromFrames(frames, 4, "gif");

    // Then
    GifFrames gif = GifFrames.read(video.data());
    assertThat(gif.count()).isEqualTo(5);
    assertThat(gif.frames()).allSatisfy(f -> {
      assertThat(f.getWidth()).isEqualTo(8);
      assertThat(f.getHeight()).isEqualTo(6);
    });
    assertThat(gif.delays()).as("hundredths: 100 / fps").containsOnly(25);
    assertThat(gif.loopCount()).as("NETSCAPE2.0 loop forever").isZero();
    assertThat(gif.disposals()).containsOnly("none");
    assertThat(video.extension()).isEqualTo("gif");
    assertThat(video.contentType()).isEqualTo("image/gif");
    assertThat(video.metadata()).containsExactly(entry("frames", 5), entry("fps", 4), entry("width", 8),
        entry("height", 6), entry("format", "gif"), entry("channels", 3), entry("delay_centiseconds", 25));
    assertThat(video.warnings()).isEmpty();
  }

  @Test
  void shouldWriteTheSameGifStructureAsPillowDoesForWandb() throws IOException {
    // Given: a GIF Pillow wrote with duration=1000/4 ms and loop=0 (make_media_fixtures.py)
    byte[] pillow;
    try (InputStream in = getClass().getResourceAsStream("/fixtures/video/pillow_loop.gif")) {
      pillow = in.readAllBytes();
    }
    PixelArray frames = frames(3, 1, 6, 8, (t, c, y, x) -> 40 * t);

    // When
    GifFrames ours = GifFrames.read(VideoEncoder.fromFrames(frames, 4, "gif").data());
    GifFrames theirs = GifFrames.read(pillow);

    // Then
    assertThat(ours.count()).isEqualTo(theirs.count());
    assertThat(ours.delays()).isEqualTo(theirs.delays());
    assertThat(ours.loopCount()).isEqualTo(theirs.loopCount());
    for (int t = 0; t < 3; t++) {
      assertThat(ours.rgb(t, 5, 3)).isEqualTo(theirs.rgb(t, 5, 3));
    }
  }

  @Test
  void shouldWriteGrayscaleFramesExactly() {
    // Given
    PixelArray frames = frames(3, 1, 16, 16, (t, c, y, x) -> (y * 16 + x + 7 * t) & 0xFF);

    // When
    GifFrames gif = GifFrames.read(VideoEncoder.fromFrames(frames).data());

    // Then
    for (int t = 0; t < 3; t++) {
      for (int y = 0; y < 16; y++) {
        for (int x = 0; x < 16; x++) {
          int v = (y * 16 + x + 7 * t) & 0xFF;
          assertThat(gif.rgb(t, x, y)).isEqualTo(v << 16 | v << 8 | v);
        }
      }
    }
  }

  @Test
  void shouldWriteColourFramesWithAtMost256ColoursExactly() {
    // Given: 16 x 16 distinct colours per frame
    PixelArray frames = frames(2, 3, 16, 16, (t, c, y, x) -> c == 0 ? x * 16 : c == 1 ? y * 16 : 255 - 100 * t);

    // When
    GifFrames gif = GifFrames.read(VideoEncoder.fromFrames(frames).data());

    // Then
    for (int t = 0; t < 2; t++) {
      for (int y = 0; y < 16; y++) {
        for (int x = 0; x < 16; x++) {
          assertThat(gif.rgb(t, x, y)).isEqualTo((x * 16) << 16 | (y * 16) << 8 | (255 - 100 * t));
        }
      }
    }
  }

  @Test
  void shouldQuantizeFramesWithMoreThan256Colours() {
    // Given: random colours
    Random random = new Random(7);
    PixelArray frames = frames(2, 3, 40, 50, (t, c, y, x) -> random.nextInt(256));

    // When
    EncodedMedia video = VideoEncoder.fromFrames(frames);

    // Then
    GifFrames gif = GifFrames.read(video.data());
    assertThat(gif.count()).isEqualTo(2);
    assertThat(gif.frames().get(0).getWidth()).isEqualTo(50);
    assertThat(gif.frames().get(0).getHeight()).isEqualTo(40);
  }

  @Test
  void shouldDropTheAlphaChannelWithAWarning() {
    // Given: RGBA with a varying alpha
    PixelArray frames = frames(1, 4, 2, 2, (t, c, y, x) -> c == 3 ? 17 * x : 50 * c + 10 * y);

    // When
    EncodedMedia video = VideoEncoder.fromFrames(frames);

    // Then
    GifFrames gif = GifFrames.read(video.data());
    assertThat(gif.rgb(0, 1, 1)).isEqualTo(10 << 16 | 60 << 8 | 110);
    assertThat(video.metadata()).containsEntry("channels", 4);
    assertThat(video.warnings()).containsExactly("alpha channel dropped (4 channels; moviepy keeps the first three)");
  }

  @Test
  void shouldCastOtherDtypesToUint8LikeNumpyAstypeWithAWarning() {
    // Given: float32 gray values; astype(uint8) truncates and wraps, no normalization
    float[] values = {1.7f, -1.0f, 300.0f, 0.5f};
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    PixelArray frames = PixelArray.of(Dtype.FLOAT32, new long[] {1, 1, 2, 2}, b.array());

    // When
    EncodedMedia video = VideoEncoder.fromFrames(frames);

    // Then
    GifFrames gif = GifFrames.read(video.data());
    assertThat(new int[] {gif.rgb(0, 0, 0), gif.rgb(0, 1, 0), gif.rgb(0, 0, 1), gif.rgb(0, 1, 1)})
        .containsExactly(0x010101, 0xFFFFFF, 0x2C2C2C, 0);
    assertThat(video.warnings()).first().asString().startsWith("converting video data from float32 to uint8");
    assertThat(video.warnings()).anySatisfy(w -> assertThat(w).contains("outside [0, 255]"));
  }

  // ----------------------------------------------------------------------------- batch grid

  @ParameterizedTest
  @CsvSource({"1, 1, 1", "2, 1, 2", "3, 1, 4", "4, 2, 2", "5, 2, 4", "8, 2, 4", "9, 2, 8", "16, 4, 4"})
  void shouldTileABatchIntoWandbsGrid(int batch, int rows, int cols) {
    // Given: (batch, time=2, 1 channel, h=3, w=5)
    PixelArray frames = uint8(new long[] {batch, 2, 1, 3, 5});

    // When
    EncodedMedia video = VideoEncoder.fromFrames(frames);

    // Then
    assertThat(video.metadata()).containsEntry("frames", 2).containsEntry("width", cols * 5)
        .containsEntry("height", rows * 3);
  }

  @Test
  void shouldPlaceEachVideoOfTheBatchInItsCellAndPadWithBlack() {
    // Given: batch of 3 -> padded to 4, one row of 4 cells; video v has gray level 10 * (v + 1)
    int b = 3;
    byte[] data = new byte[b * 1 * 1 * 2 * 2];
    for (int v = 0; v < b; v++) {
      for (int i = 0; i < 4; i++) {
        data[v * 4 + i] = (byte) (10 * (v + 1));
      }
    }
    PixelArray frames = PixelArray.of(Dtype.UINT8, new long[] {b, 1, 1, 2, 2}, data);

    // When
    GifFrames gif = GifFrames.read(VideoEncoder.fromFrames(frames).data());

    // Then
    assertThat(gif.frames().get(0).getWidth()).isEqualTo(8);
    assertThat(new int[] {gif.rgb(0, 1, 1), gif.rgb(0, 3, 0), gif.rgb(0, 4, 1), gif.rgb(0, 7, 1)})
        .containsExactly(0x0A0A0A, 0x141414, 0x1E1E1E, 0);
  }

  @Test
  void shouldPlaceAFourVideoBatchInTwoRows() {
    // Given: batch of 4 -> 2 x 2; video v has gray level v + 1
    byte[] data = new byte[4];
    for (int v = 0; v < 4; v++) {
      data[v] = (byte) (v + 1);
    }
    PixelArray frames = PixelArray.of(Dtype.UINT8, new long[] {4, 1, 1, 1, 1}, data);

    // When
    GifFrames gif = GifFrames.read(VideoEncoder.fromFrames(frames).data());

    // Then: cell (r, c) holds video r * n_cols + c
    assertThat(new int[] {gif.rgb(0, 0, 0), gif.rgb(0, 1, 0), gif.rgb(0, 0, 1), gif.rgb(0, 1, 1)})
        .containsExactly(0x010101, 0x020202, 0x030303, 0x040404);
  }

  // ----------------------------------------------------------------------------- fps and format

  @Test
  void shouldDefaultToFourFpsAndGif() {
    // Given
    PixelArray frames = uint8(new long[] {2, 1, 2, 2});

    // When
    EncodedMedia byDefault = VideoEncoder.fromFrames(frames);
    EncodedMedia nullFormat = VideoEncoder.fromFrames(frames, VideoEncoder.DEFAULT_FPS, null);

    // Then
    assertThat(byDefault.metadata()).containsEntry("fps", 4).containsEntry("format", "gif");
    assertThat(GifFrames.read(byDefault.data()).delays()).containsOnly(25);
    assertThat(nullFormat.data()).isEqualTo(byDefault.data());
  }

  @ParameterizedTest
  @CsvSource({"1, 100", "3, 33", "7, 14", "30, 3", "60, 1", "100, 1"})
  void shouldTruncateTheFrameDelayLikePillow(int fps, int hundredths) {
    // Given
    PixelArray frames = uint8(new long[] {2, 1, 2, 2});

    // When
    EncodedMedia video = VideoEncoder.fromFrames(frames, fps, "gif");

    // Then
    assertThat(GifFrames.read(video.data()).delays()).containsOnly(hundredths);
    assertThat(video.warnings()).isEmpty();
  }

  @Test
  void shouldWarnThatFpsAbove100TruncatesTheDelayToZero() {
    // When
    EncodedMedia video = VideoEncoder.fromFrames(uint8(new long[] {2, 1, 2, 2}), 120, "gif");

    // Then
    assertThat(GifFrames.read(video.data()).delays()).containsOnly(0);
    assertThat(video.warnings()).singleElement().asString().startsWith("fps 120 is above 100");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -4})
  void shouldRejectNonPositiveFps(int fps) {
    // When / Then
    assertThatThrownBy(() -> VideoEncoder.fromFrames(uint8(new long[] {1, 1, 2, 2}), fps, "gif"))
        .isInstanceOf(VideoRejectedException.class)
        .hasMessage("fps must be positive, got " + fps);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mp4", "webm", "ogg", "MP4"})
  void shouldRejectFormatsThatNeedFfmpeg(String format) {
    // When / Then
    assertThatThrownBy(() -> VideoEncoder.fromFrames(uint8(new long[] {1, 1, 2, 2}), 4, format))
        .isInstanceOf(VideoRejectedException.class)
        .isInstanceOf(MediaRejectedException.class)
        .hasMessage("frames can only be encoded as gif here (mp4/webm need ffmpeg)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"avi", "png", ""})
  void shouldRejectFormatsWandbDoesNotKnow(String format) {
    // When / Then
    assertThatThrownBy(() -> VideoEncoder.fromFrames(uint8(new long[] {1, 1, 2, 2}), 4, format))
        .isInstanceOf(VideoRejectedException.class)
        .hasMessage("unsupported video format '" + format + "' (supported: gif, mp4, webm, ogg)");
  }

  // ----------------------------------------------------------------------------- shape

  @ParameterizedTest
  @ValueSource(ints = {2, 5})
  void shouldRejectChannelCountsOtherThanOneThreeOrFour(int channels) {
    // When / Then
    assertThatThrownBy(() -> VideoEncoder.fromFrames(uint8(new long[] {2, channels, 3, 3})))
        .isInstanceOf(VideoRejectedException.class)
        .hasMessageStartingWith("unsupported video shape (2, " + channels + ", 3, 3): " + channels + " channels");
  }

  @Test
  void shouldRejectArraysWithFewerThanFourDimensions() {
    // When / Then: wandb: "Video must be at least 4 dimensions"
    assertThatThrownBy(() -> VideoEncoder.fromFrames(uint8(new long[] {2, 3, 3})))
        .isInstanceOf(VideoRejectedException.class)
        .hasMessageStartingWith("unsupported video shape (2, 3, 3): frames need 4 dimensions");
  }

  @Test
  void shouldRejectArraysWithMoreThanFiveDimensions() {
    // When / Then
    assertThatThrownBy(() -> VideoEncoder.fromFrames(uint8(new long[] {1, 1, 2, 1, 3, 3})))
        .isInstanceOf(VideoRejectedException.class)
        .hasMessageStartingWith("unsupported video shape (1, 1, 2, 1, 3, 3)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0,1,2,2", "2,1,0,2", "2,1,2,0", "0,2,1,2,2"})
  void shouldRejectVideosWithoutPixels(String shapeText) {
    // Given
    long[] shape = java.util.Arrays.stream(shapeText.split(",")).mapToLong(Long::parseLong).toArray();

    // When / Then
    assertThatThrownBy(() -> VideoEncoder.fromFrames(uint8(shape)))
        .isInstanceOf(VideoRejectedException.class)
        .hasMessageContaining("has no pixels");
  }

  @Test
  void shouldRejectFramesWiderThanGifAllows() {
    // When / Then
    assertThatThrownBy(() -> VideoEncoder.fromFrames(uint8(new long[] {1, 1, 1, 65536})))
        .isInstanceOf(VideoRejectedException.class)
        .hasMessage("video frame of 65536x1 pixels is above the GIF limit of 65535 per side");
  }
}
