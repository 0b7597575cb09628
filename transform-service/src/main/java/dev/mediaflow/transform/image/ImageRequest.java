package dev.mediaflow.transform.image;

import java.util.Objects;

/**
 * One array to turn into an image file.
 *
 * @param array the pixels: (height, width[, channels]), or (channels, height, width) when
 *     {@code chwLayout} is set
 * @param chwLayout the array is a channels-first "tensor"; it is transposed to
 *     (height, width, channels) before anything else
 * @param mode explicit PIL mode ({@code L}, {@code RGB} or {@code RGBA}); {@code null} (or
 *     empty) guesses it from the shape
 * @param normalize rescale the values to [0, 255] the way wandb does (default {@code true});
 *     when {@code false} values are cast like numpy's {@code astype(uint8)}
 * @param fileType {@code png} (default when {@code null} or empty), {@code jpg}, {@code jpeg} or
 *     {@code bmp}; anything else is rejected
 * @param pngCompressionLevel DEFLATE level of a png, 0 (stored) to 12 (default 6, Pillow's
 *     {@code compress_level}); only speed and size depend on it, never the pixels. Above 9 only
 *     with libdeflate (zlib stops at 9).
 */
public record ImageRequest(PixelArray array, boolean chwLayout, String mode, boolean normalize,
    String fileType, int pngCompressionLevel) {

  /** Highest {@code pngCompressionLevel} (libdeflate's). */
  public static final int MAX_PNG_COMPRESSION_LEVEL = 12;

  public ImageRequest {
    Objects.requireNonNull(array, "array");
    if (pngCompressionLevel < 0 || pngCompressionLevel > MAX_PNG_COMPRESSION_LEVEL) {
      throw new IllegalArgumentException("pngCompressionLevel must be 0-12, not " + pngCompressionLevel);
    }
  }

  /** A request at the default png level (6). */
  public ImageRequest(PixelArray array, boolean chwLayout, String mode, boolean normalize, String fileType) {
    this(array, chwLayout, mode, normalize, fileType, PngEncoder.DEFAULT_LEVEL);
  }

  /** Defaults: HWC layout, guessed mode, normalize, png. */
  public static ImageRequest of(PixelArray array) {
    return builder(array).build();
  }

  public static Builder builder(PixelArray array) {
    return new Builder(array);
  }

  /** Builder with the wandb defaults (normalize on, png, mode guessed, HWC). */
  public static final class Builder {
    private final PixelArray array;
    private boolean chwLayout;
    private String mode;
    private boolean normalize = true;
    private String fileType;
    private int pngCompressionLevel = PngEncoder.DEFAULT_LEVEL;

    private Builder(PixelArray array) {
      this.array = Objects.requireNonNull(array, "array");
    }

    public Builder chwLayout(boolean chwLayout) {
      this.chwLayout = chwLayout;
      return this;
    }

    public Builder mode(String mode) {
      this.mode = mode;
      return this;
    }

    public Builder normalize(boolean normalize) {
      this.normalize = normalize;
      return this;
    }

    public Builder fileType(String fileType) {
      this.fileType = fileType;
      return this;
    }

    public Builder pngCompressionLevel(int pngCompressionLevel) {
      this.pngCompressionLevel = pngCompressionLevel;
      return this;
    }

    public ImageRequest build() {
      return new ImageRequest(array, chwLayout, mode, normalize, fileType, pngCompressionLevel);
    }
  }
}
