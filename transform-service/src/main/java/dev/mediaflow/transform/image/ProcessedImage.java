package dev.mediaflow.transform.image;

import java.util.List;
import java.util.Objects;

/**
 * An image ready to store.
 *
 * @param encoded the file bytes (for an encoded input: the producer's bytes, untouched)
 * @param format the encoding: {@code png}, {@code jpeg}, {@code bmp} or {@code gif}
 * @param extension file-name extension as requested ({@code png}, {@code jpg}, {@code jpeg},
 *     {@code bmp}, {@code gif}), lower case
 * @param contentType MIME type, e.g. {@code image/png}
 * @param width pixels
 * @param height pixels
 * @param mode PIL mode of the stored pixels: {@code L}, {@code RGB}, {@code RGBA}; for
 *     encoded files also {@code LA} or {@code P}
 * @param warnings warnings to keep with the item's metadata (never null, unmodifiable)
 */
public record ProcessedImage(byte[] encoded, String format, String extension, String contentType,
    int width, int height, String mode, List<String> warnings) {

  public ProcessedImage {
    Objects.requireNonNull(encoded, "encoded");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(extension, "extension");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(mode, "mode");
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  @Override
  public String toString() {
    return "ProcessedImage[" + format + " ." + extension + " " + width + "x" + height + " " + mode
        + ", " + encoded.length + " bytes, warnings=" + warnings + "]";
  }
}
