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
 */
public record ImageRequest(PixelArray array, boolean chwLayout, String mode, boolean normalize,
    String fileType) {

  public ImageRequest {
    Objects.requireNonNull(array, "array");
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

    public ImageRequest build() {
      return new ImageRequest(array, chwLayout, mode, normalize, fileType);
    }
  }
}
