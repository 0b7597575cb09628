package dev.mediaflow.transform.table;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A table ready to store.
 *
 * @param data the bytes to store (the table JSON, UTF-8); never null
 * @param extension file-name extension, lower case: {@code table.json}
 * @param contentType MIME type, e.g. {@code application/json}
 * @param metadata what to index, in a stable order (unmodifiable; no null values)
 * @param warnings warnings to keep with the item's metadata (never null, unmodifiable)
 */
public record ProcessedTable(byte[] data, String extension, String contentType,
    Map<String, Object> metadata, List<String> warnings) {

  public ProcessedTable {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(extension, "extension");
    Objects.requireNonNull(contentType, "contentType");
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    metadata.values().forEach(v -> Objects.requireNonNull(v, "metadata value"));
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  @Override
  public String toString() {
    return "ProcessedTable[." + extension + ", " + data.length + " bytes, " + metadata
        + ", warnings=" + warnings + "]";
  }
}
