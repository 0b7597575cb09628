package dev.mediaflow.transform.video;

import dev.mediaflow.transform.EncodedMedia;
import dev.mediaflow.transform.image.PixelArray;
import dev.mediaflow.transform.image.PixelNormalizer;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Encodes frames logged as an array into an animated GIF, the way wandb.Video does
 * (media-semantics.md, "Video"; wandb {@code sdk/data_types/video.py}).
 *
 * <p>What wandb does, and what we match:
 * <ol>
 *   <li><b>Shape.</b> {@code _prepare_video} needs at least 4 dimensions: (time, channels,
 *       height, width), or (batch, time, channels, height, width). A batch is tiled into one
 *       grid per frame: the batch is padded with black videos up to the next power of two,
 *       {@code n_rows = 2 ** ((b.bit_length() - 1) // 2)} (from the unpadded b),
 *       {@code n_cols = padded_b // n_rows}, and video {@code i} lands in grid cell
 *       ({@code i // n_cols}, {@code i % n_cols}). We do the same. Other ranks are rejected.</li>
 *   <li><b>uint8.</b> A non-uint8 array is converted with a plain {@code astype(np.uint8)}
 *       (no normalization, unlike wandb.Image): integers wrap modulo 256, floats are
 *       truncated toward zero and wrap; wandb logs "Converting video data to uint8". We use
 *       {@link PixelNormalizer} with {@code normalize = false} (numpy x86_64 cast semantics)
 *       and keep a warning.</li>
 *   <li><b>Channels.</b> moviepy's {@code ImageSequenceClip} serves {@code frame[:, :, :3]}, so
 *       a 4th (alpha) channel is dropped; we drop it too, with a warning. 1 channel is written
 *       as grayscale, 3 as RGB. wandb does not check the count; 2 channels (which
 *       imageio would misread as gray+alpha) and more than 4 are rejected here.</li>
 *   <li><b>Timing.</b> imageio writes {@code duration = 1000 / fps} ms and Pillow stores
 *       {@code int(duration / 10)} hundredths per frame, i.e. {@code 100 / fps} truncated;
 *       {@code loop=0} becomes a NETSCAPE2.0 extension looping forever. Same here. Above
 *       100 fps the delay truncates to 0 (browsers then play about 10 fps): kept, with a
 *       warning.</li>
 *   <li><b>Format.</b> wandb accepts gif, mp4, webm, ogg; mp4/webm/ogg need ffmpeg (moviepy
 *       {@code write_videofile}), which this service does not have, so they are rejected.</li>
 * </ol>
 *
 * <p>Known differences: imageio quantizes colour frames with Pillow's median cut
 * ({@code quantizer=0}); we write a frame with at most 256 distinct colours losslessly (its
 * exact palette) and leave richer frames to ImageIO's palette builder (octree), so colours of
 * such frames differ slightly. Grayscale frames are always exact. Pillow merges identical
 * consecutive frames into one longer frame; we keep one GIF frame per input frame. wandb
 * maps {@code fps=0} to the default 4 ({@code fps or 4}); we reject it.
 *
 * <p>Stateless and thread-safe.
 */
public final class VideoEncoder {

  /** wandb's default frame rate. */
  public static final int DEFAULT_FPS = 4;

  /** wandb's default format. */
  public static final String DEFAULT_FORMAT = "gif";

  /** GIF stores sizes in 16 bits. */
  static final int MAX_GIF_SIDE = 0xFFFF;

  private VideoEncoder() {}

  /** {@link #fromFrames(PixelArray, int, String)} with fps 4 and format gif. */
  public static EncodedMedia fromFrames(PixelArray frames) {
    return fromFrames(frames, DEFAULT_FPS, DEFAULT_FORMAT);
  }

  /**
   * @param frames (time, channels, height, width) or (batch, time, channels, height, width),
   *     any dtype
   * @param fps frames per second, at least 1
   * @param format {@code gif} (null means gif); mp4, webm and ogg are valid wandb formats but
   *     are rejected here
   * @return the GIF; metadata {@code frames}, {@code fps}, {@code width}, {@code height},
   *     {@code format}, {@code channels} (as given), {@code delay_centiseconds}
   * @throws VideoRejectedException for a bad shape, channel count, fps or format
   */
  public static EncodedMedia fromFrames(PixelArray frames, int fps, String format) {
    String fmt = format == null ? DEFAULT_FORMAT : format.trim().toLowerCase(Locale.ROOT);
    if (!VideoFiles.TYPES.contains(fmt)) {
      throw new VideoRejectedException("unsupported video format '" + format
          + "' (supported: gif, mp4, webm, ogg)");
    }
    if (!fmt.equals("gif")) {
      throw new VideoRejectedException("frames can only be encoded as gif here (mp4/webm need ffmpeg)");
    }
    if (fps <= 0) {
      throw new VideoRejectedException("fps must be positive, got " + fps);
    }
    Layout layout = Layout.of(frames.shape());
    List<String> warnings = new ArrayList<>();
    if (frames.dtype() != PixelArray.Dtype.UINT8) {
      warnings.add("converting video data from " + frames.dtype() + " to uint8 as numpy astype does "
          + "(no normalization: integers wrap modulo 256, floats are truncated)");
    }
    if (layout.channels == 4) {
      warnings.add("alpha channel dropped (4 channels; moviepy keeps the first three)");
    }
    int delay = 100 / fps; // Pillow: int((1000 / fps) / 10)
    if (delay == 0) {
      warnings.add("fps " + fps + " is above 100: the GIF frame delay truncates to 0 "
          + "(browsers then play about 10 frames per second)");
    }
    byte[] u8 = new byte[frames.elementCount()];
    PixelNormalizer.convert(frames, false, warnings, u8);

    byte[] gif;
    try (GifSequenceWriter writer = new GifSequenceWriter(delay)) {
      for (int t = 0; t < layout.time; t++) {
        writer.add(layout.channels == 1 ? grayFrame(u8, layout, t) : colourFrame(u8, layout, t));
      }
      gif = writer.finish();
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("frames", layout.time);
    metadata.put("fps", fps);
    metadata.put("width", layout.width());
    metadata.put("height", layout.height());
    metadata.put("format", "gif");
    metadata.put("channels", layout.channels);
    metadata.put("delay_centiseconds", delay);
    return new EncodedMedia(gif, "gif", "image/gif", metadata, warnings);
  }

  // ------------------------------------------------------------------------------------
  // frames
  // ------------------------------------------------------------------------------------

  /** One grayscale frame with a 256-entry gray palette: exact. */
  private static BufferedImage grayFrame(byte[] u8, Layout l, int t) {
    BufferedImage image = new BufferedImage(l.width(), l.height(), BufferedImage.TYPE_BYTE_INDEXED,
        GRAY_PALETTE);
    byte[] dst = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    int width = l.width();
    for (int v = 0; v < l.batch; v++) {
      int src = l.channelOffset(v, t, 0);
      int x0 = (v % l.cols) * l.w;
      int y0 = (v / l.cols) * l.h;
      for (int y = 0; y < l.h; y++) {
        System.arraycopy(u8, src + y * l.w, dst, (y0 + y) * width + x0, l.w);
      }
    }
    return image; // padding cells stay 0 (black), as numpy's zeros
  }

  /** One colour frame: exact palette when it has at most 256 colours, else RGB for ImageIO to quantize. */
  private static BufferedImage colourFrame(byte[] u8, Layout l, int t) {
    int width = l.width();
    int[] rgb = new int[width * l.height()];
    int plane = l.h * l.w;
    for (int v = 0; v < l.batch; v++) {
      int r = l.channelOffset(v, t, 0);
      int g = r + plane;
      int b = g + plane;
      int x0 = (v % l.cols) * l.w;
      int y0 = (v / l.cols) * l.h;
      for (int y = 0; y < l.h; y++) {
        int row = (y0 + y) * width + x0;
        int s = y * l.w;
        for (int x = 0; x < l.w; x++, s++) {
          rgb[row + x] = (u8[r + s] & 0xFF) << 16 | (u8[g + s] & 0xFF) << 8 | (u8[b + s] & 0xFF);
        }
      }
    }
    BufferedImage indexed = ExactPalette.toIndexed(rgb, width, l.height());
    if (indexed != null) {
      return indexed;
    }
    BufferedImage image = new BufferedImage(width, l.height(), BufferedImage.TYPE_INT_RGB);
    System.arraycopy(rgb, 0, ((DataBufferInt) image.getRaster().getDataBuffer()).getData(), 0, rgb.length);
    return image;
  }

  private static final IndexColorModel GRAY_PALETTE = grayPalette();

  private static IndexColorModel grayPalette() {
    byte[] levels = new byte[256];
    for (int i = 0; i < 256; i++) {
      levels[i] = (byte) i;
    }
    return new IndexColorModel(8, 256, levels, levels, levels);
  }

  // ------------------------------------------------------------------------------------
  // shape
  // ------------------------------------------------------------------------------------

  /** The array's layout (batch, time, channels, h, w) and wandb's grid for the batch. */
  record Layout(int batch, int time, int channels, int h, int w, int rows, int cols) {

    static Layout of(long[] shape) {
      if (shape.length != 4 && shape.length != 5) {
        throw new VideoRejectedException("unsupported video shape " + PixelArray.shapeText(shape)
            + ": frames need 4 dimensions (time, channels, height, width) or 5 (batch, time, "
            + "channels, height, width)");
      }
      int o = shape.length - 4;
      long b = o == 1 ? shape[0] : 1;
      long t = shape[o];
      long c = shape[o + 1];
      long h = shape[o + 2];
      long w = shape[o + 3];
      if (b == 0 || t == 0 || h == 0 || w == 0) {
        throw new VideoRejectedException("video shape " + PixelArray.shapeText(shape)
            + " has no pixels (empty batch, time, height or width)");
      }
      if (c != 1 && c != 3 && c != 4) {
        throw new VideoRejectedException("unsupported video shape " + PixelArray.shapeText(shape)
            + ": " + c + " channels (supported: 1 gray, 3 RGB, 4 RGBA with alpha dropped)");
      }
      // element count fits an int (PixelArray checked), so every dimension does too
      int bi = (int) b;
      int padded = Integer.bitCount(bi) == 1 ? bi : Integer.highestOneBit(bi) << 1;
      int rows = 1 << ((bitLength(bi) - 1) / 2);
      int cols = padded / rows;
      if (rows * h > MAX_GIF_SIDE || cols * w > MAX_GIF_SIDE) { // longs: no overflow
        throw new VideoRejectedException("video frame of " + cols * w + "x" + rows * h
            + " pixels is above the GIF limit of " + MAX_GIF_SIDE + " per side");
      }
      return new Layout(bi, (int) t, (int) c, (int) h, (int) w, rows, cols);
    }

    private static int bitLength(int n) {
      return 32 - Integer.numberOfLeadingZeros(n);
    }

    int width() {
      return cols * w;
    }

    int height() {
      return rows * h;
    }

    /** Index of element (video, frame, channel, 0, 0) in the row-major array. */
    int channelOffset(int video, int frame, int channel) {
      return (((video * time + frame) * channels) + channel) * h * w;
    }
  }
}
