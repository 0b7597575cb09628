package dev.mediaflow.transform.audio;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An audio clip ready to store.
 *
 * @param data the bytes to store (for a file input: the producer's bytes, untouched); never null
 * @param extension file-name extension, lower case: {@code wav} for samples, one of
 *     {@link AudioFiles#TYPES} for files
 * @param contentType MIME type, e.g. {@code audio/wav}
 * @param metadata what to index, in a stable order (unmodifiable; no null values)
 * @param warnings warnings to keep with the item's metadata (never null, unmodifiable)
 */
public record ProcessedAudio(byte[] data, String extension, String contentType,
    Map<String, Object> metadata, List<String> warnings) {

  public ProcessedAudio {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(extension, "extension");
    Objects.requireNonNull(contentType, "contentType");
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    metadata.values().forEach(v -> Objects.requireNonNull(v, "metadata value"));
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  @Override
  public String toString() {
    return "ProcessedAudio[." + extension + ", " + data.length + " bytes, " + metadata
        + ", warnings=" + warnings + "]";
  }
}
