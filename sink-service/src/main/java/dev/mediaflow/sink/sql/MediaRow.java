package dev.mediaflow.sink.sql;

import java.util.Objects;

/**
 * One row of {@code media_item}: the metadata of one media item, keyed by
 * (project, run, logKey, step, itemIndex).
 *
 * <p>JSON columns are carried as the exact text stored, so two equal rows are byte-identical in
 * the table. Nullable columns are boxed types.
 *
 * @param objectKey key of the main object; {@code null} when the item has none
 * @param objectKeysJson JSON object role → key of every stored object
 * @param contentType content type of the main object, or {@code null}
 * @param byteSize size of the main object, or {@code null}
 * @param sha256 lower-case hex SHA-256 of the main object, or {@code null}
 * @param classesJson JSON array of {@code {"id":…,"name":…}}; {@code []} when none
 * @param warningsJson JSON array of strings; {@code []} when none
 * @param metadataJson type-specific metadata as JSON, or {@code null}
 * @param loggedAt when the producer logged the item, epoch milliseconds
 * @param storedAt when the sink first stored the item, epoch milliseconds; a later upsert of the
 *     same identity keeps the first value
 */
public record MediaRow(
    String project,
    String run,
    String logKey,
    long step,
    int itemIndex,
    String mediaType,
    String objectKey,
    String objectKeysJson,
    String contentType,
    Long byteSize,
    String sha256,
    Integer width,
    Integer height,
    String mode,
    String format,
    String caption,
    Integer grouping,
    String classesJson,
    String warningsJson,
    String metadataJson,
    String producerId,
    long loggedAt,
    long storedAt) {

  public MediaRow {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(logKey, "logKey");
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(objectKeysJson, "objectKeysJson");
    Objects.requireNonNull(classesJson, "classesJson");
    Objects.requireNonNull(warningsJson, "warningsJson");
    Objects.requireNonNull(producerId, "producerId");
  }

  /** The same row with another {@code storedAt}. */
  public MediaRow withStoredAt(long newStoredAt) {
    return new MediaRow(project, run, logKey, step, itemIndex, mediaType, objectKey, objectKeysJson,
        contentType, byteSize, sha256, width, height, mode, format, caption, grouping, classesJson,
        warningsJson, metadataJson, producerId, loggedAt, newStoredAt);
  }

  /** Identity for log and error messages. */
  public String describeIdentity() {
    return "project=" + project + " run=" + run + " key=" + logKey + " step=" + step + " index=" + itemIndex;
  }
}
