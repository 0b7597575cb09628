package dev.mediaflow.transform;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One media object ready to store, as the video, audio, table, html and molecule kernels
 * produce it.
 *
 * @param data the bytes to store (for a file input: the producer's bytes, untouched); never null
 * @param extension file-name extension, lower case (e.g. {@code wav}, {@code table.json})
 * @param contentType MIME type, e.g. {@code audio/wav}
 * @param metadata what to index, in a stable order (unmodifiable; no null values)
 * @param warnings warnings to keep with the item's metadata (never null, unmodifiable)
 */
public record EncodedMedia(byte[] data, String extension, String contentType,
    Map<String, Object> metadata, List<String> warnings) {

  public EncodedMedia {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(extension, "extension");
    Objects.requireNonNull(contentType, "contentType");
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    metadata.values().forEach(v -> Objects.requireNonNull(v, "metadata value"));
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  @Override
  public String toString() {
    return "EncodedMedia[." + extension + ", " + data.length + " bytes, " + metadata + ", warnings=" + warnings + "]";
  }

  /**
   * The bytes of a file as decoded from an event: the buffer's own array when the buffer spans
   * all of it (what Avro's decoder gives), else a copy. A pass-through file (an already-encoded
   * image, a video) is then not copied before it is stored. Callers only read the array.
   */
  public static byte[] bytesOf(ByteBuffer data) {
    if (data.hasArray() && !data.isReadOnly() && data.arrayOffset() == 0 && data.position() == 0
        && data.remaining() == data.array().length) {
      return data.array();
    }
    byte[] out = new byte[data.remaining()];
    data.duplicate().get(out);
    return out;
  }
}
