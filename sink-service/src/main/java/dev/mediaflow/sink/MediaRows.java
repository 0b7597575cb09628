package dev.mediaflow.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediaflow.schemas.avro.ClassLabel;
import dev.mediaflow.schemas.avro.ImageInfo;
import dev.mediaflow.schemas.avro.MediaIdentity;
import dev.mediaflow.schemas.avro.MediaObject;
import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.sink.s3.ObjectStore;
import dev.mediaflow.sink.sql.MediaRow;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Maps a {@link ProcessedMedia} event to its {@code media_item} row. Pure: no I/O, no clock. */
public final class MediaRows {

  private static final ObjectMapper JSON = new ObjectMapper();

  private MediaRows() {
  }

  /**
   * The row describing {@code event} once its objects are stored under {@code roleToKey}.
   *
   * <p>The main object (see {@link ObjectKeys#isMain}) gives object_key, content_type,
   * byte_size and sha256, which stay {@code null} when there is none. Image columns are filled
   * when {@code event.getImage()} is present. object_keys is sorted by role and every JSON
   * column is written the same way each time, so the same event always gives an equal row.
   * metadata_json is the transform's type-specific metadata (histogram values and bins, point
   * counts, overlays) as it produced it.
   *
   * @param roleToKey the key of every object of the event, by role (from {@link ObjectKeys#keysFor})
   * @param storedAt when the sink stores the item, epoch milliseconds
   * @throws IllegalArgumentException if {@code roleToKey} lacks the role of one of the objects
   */
  public static MediaRow from(ProcessedMedia event, Map<String, String> roleToKey, long storedAt) {
    Map<String, String> roleToSha256 = new HashMap<>();
    for (MediaObject object : event.getObjects()) {
      roleToSha256.put(object.getRole(), sha256Hex(object.getData()));
    }
    return from(event, roleToKey, roleToSha256, storedAt);
  }

  /**
   * As {@link #from(ProcessedMedia, Map, long)}, with each object's SHA-256 (lower-case hex, by
   * role) already computed by the caller, which hashes every object once for its upload anyway.
   */
  public static MediaRow from(ProcessedMedia event, Map<String, String> roleToKey, Map<String, String> roleToSha256,
      long storedAt) {
    for (MediaObject object : event.getObjects()) {
      if (!roleToKey.containsKey(object.getRole())) {
        throw new IllegalArgumentException("no object key for role '" + object.getRole() + "' of "
            + ObjectKeys.describe(event.getIdentity()));
      }
    }
    MediaIdentity id = event.getIdentity();
    MediaObject main = mainObject(event);
    ImageInfo image = event.getImage();
    return new MediaRow(
        id.getProject(), id.getRun(), id.getKey(), id.getStep(), id.getIndex(),
        event.getMediaType(),
        main == null ? null : roleToKey.get(main.getRole()),
        toJson(new TreeMap<>(roleToKey)),
        main == null ? null : main.getContentType(),
        main == null ? null : (long) main.getData().remaining(),
        main == null ? null : roleToSha256.get(main.getRole()),
        image == null ? null : image.getWidth(),
        image == null ? null : image.getHeight(),
        image == null ? null : image.getMode(),
        image == null ? null : image.getFormat(),
        image == null ? null : image.getCaption(),
        image == null ? null : image.getGrouping(),
        toJson(image == null ? List.of() : classes(image.getClasses())),
        toJson(event.getWarnings()),
        event.getMetadataJson(),
        event.getProducerId(),
        event.getTimestamp().toEpochMilli(),
        storedAt);
  }

  private static MediaObject mainObject(ProcessedMedia event) {
    for (MediaObject object : event.getObjects()) {
      if (ObjectKeys.isMain(object.getRole(), event.getMediaType())) {
        return object;
      }
    }
    return null;
  }

  private static List<Map<String, Object>> classes(List<ClassLabel> labels) {
    List<Map<String, Object>> out = new ArrayList<>(labels.size());
    for (ClassLabel label : labels) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("id", label.getId());
      entry.put("name", label.getName());
      out.add(entry);
    }
    return out;
  }

  private static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("maps, lists and strings always serialize", e);
    }
  }

  private static String sha256Hex(ByteBuffer data) {
    return HexFormat.of().formatHex(ObjectStore.sha256(data));
  }
}
