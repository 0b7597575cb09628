package dev.mediaflow.transform.html;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An HTML document ready to store.
 *
 * @param data the bytes to store (UTF-8; for a file stored without injection: the producer's
 *     bytes, untouched); never null
 * @param extension file-name extension, lower case: {@code html}
 * @param contentType MIME type, e.g. {@code text/html; charset=utf-8}
 * @param metadata what to index, in a stable order (unmodifiable; no null values)
 * @param warnings warnings to keep with the item's metadata (never null, unmodifiable)
 */
public record ProcessedHtml(byte[] data, String extension, String contentType,
    Map<String, Object> metadata, List<String> warnings) {

  public ProcessedHtml {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(extension, "extension");
    Objects.requireNonNull(contentType, "contentType");
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    metadata.values().forEach(v -> Objects.requireNonNull(v, "metadata value"));
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  @Override
  public String toString() {
    return "ProcessedHtml[." + extension + ", " + data.length + " bytes, " + metadata
        + ", warnings=" + warnings + "]";
  }
}
