package dev.mediaflow.sink;

import dev.mediaflow.schemas.avro.MediaObject;
import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.sink.s3.ObjectStore;
import dev.mediaflow.sink.sql.MediaRow;
import dev.mediaflow.sink.sql.MetadataStore;
import java.time.Clock;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one processed media item: its objects to S3, then its row to SQL.
 *
 * <p>The row is written last, so a row always points at objects that exist; when the SQL store
 * refuses a new item's row for good, its objects are deleted again. Both writes are
 * idempotent: writing an event again (a retry, a replay) leaves the same objects and an
 * identical row, including its first {@code stored_at}.
 */
public final class MediaSink {
  private static final Logger LOG = LoggerFactory.getLogger(MediaSink.class);

  private final ObjectStore objects;
  private final MetadataStore metadata;
  private final ObjectKeys keys;
  private final Clock clock;

  /** A sink with keys under {@value ObjectKeys#DEFAULT_PREFIX} and the UTC system clock. */
  public MediaSink(ObjectStore objects, MetadataStore metadata) {
    this(objects, metadata, new ObjectKeys(), Clock.systemUTC());
  }

  /** @param clock gives {@code stored_at} */
  public MediaSink(ObjectStore objects, MetadataStore metadata, ObjectKeys keys, Clock clock) {
    this.objects = Objects.requireNonNull(objects, "objects");
    this.metadata = Objects.requireNonNull(metadata, "metadata");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Stores every object of {@code event}, then upserts its row; returns only when both are
   * durable, so the caller may commit the event's offset afterwards.
   *
   * @throws UnstorableItemException if the event can never be stored (duplicate roles, more
   *     than one main object, a key too long); nothing was written, dead-letter it
   * @throws dev.mediaflow.sink.s3.ObjectStoreException if an object could not be stored
   * @throws dev.mediaflow.sink.sql.MetadataStoreException if the row could not be stored
   * @see StoreFailure#classify which of these failures to retry and which to dead-letter
   */
  public void write(ProcessedMedia event) {
    // everything that can reject the event runs before the first write
    Map<String, String> roleToKey = keys.keysFor(event);
    // each object hashed once, in its decoded buffer (no copy): for the upload's checksum and the row
    Map<String, byte[]> digests = new HashMap<>();
    Map<String, String> hexDigests = new HashMap<>();
    for (MediaObject object : event.getObjects()) {
      byte[] digest = ObjectStore.sha256(object.getData());
      digests.put(object.getRole(), digest);
      hexDigests.put(object.getRole(), HexFormat.of().formatHex(digest));
    }
    MediaRow row = MediaRows.from(event, roleToKey, hexDigests, clock.millis());
    for (MediaObject object : event.getObjects()) {
      String role = object.getRole();
      objects.put(roleToKey.get(role), object.getData(), object.getContentType(), digests.get(role));
    }
    try {
      metadata.upsert(row);
    } catch (RuntimeException e) {
      removeOrphans(event, roleToKey, e);
      throw e;
    }
  }

  /**
   * When the SQL store refuses the row for good (the item is dead-lettered), deletes the objects
   * just written, so that a listing shows only media that has a row. Not when an earlier version
   * of the item has a row: its keys are the same, and that row must keep its objects.
   */
  private void removeOrphans(ProcessedMedia event, Map<String, String> roleToKey, RuntimeException refusal) {
    if (!StoreFailure.classify(refusal).permanent() || metadata.find(event.getIdentity()).isPresent()) {
      return;
    }
    for (String key : roleToKey.values()) {
      try {
        objects.delete(key);
      } catch (RuntimeException e) {
        LOG.warn("cannot delete {} after its row was refused; it stays without a row: {}", key, e.toString());
      }
    }
  }
}
