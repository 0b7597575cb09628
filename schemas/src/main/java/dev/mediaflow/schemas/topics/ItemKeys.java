package dev.mediaflow.schemas.topics;

import dev.mediaflow.schemas.avro.MediaIdentity;
import dev.mediaflow.schemas.identity.ItemIdentity;

/**
 * Record keys derived from an item's identity: {@code project/run/key/step/index}, each
 * user-chosen segment encoded by the one identity codec, {@link ItemIdentity} (injective, the
 * same encoding as the S3 object keys). The same identity always gives the same key, so a
 * re-logged item lands in the same partition, in order.
 */
public final class ItemKeys {
  private ItemKeys() {}

  public static String of(MediaIdentity id) {
    return ItemIdentity.recordKey(id);
  }

  public static String of(String project, String run, String key, long step, int index) {
    return ItemIdentity.recordKey(project, run, key, step, index);
  }

  /** The common start of every item key of one run (for filtering a topic by run). */
  public static String runPrefix(String project, String run) {
    return ItemIdentity.runPrefix(project, run);
  }
}
