package dev.mediaflow.schemas.topics;

import dev.mediaflow.schemas.avro.MediaIdentity;
import dev.mediaflow.schemas.identity.ItemIdentity;
import java.util.Optional;

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

  /**
   * The identity a record key was made from by {@link #of}, or empty when the key is not such a
   * key; lets a stage name the item of a record whose value it cannot decode.
   */
  public static Optional<MediaIdentity> parse(String itemKey) {
    String[] parts = itemKey == null ? new String[0] : itemKey.split("/", -1);
    if (parts.length != 5) {
      return Optional.empty();
    }
    try {
      return Optional.of(MediaIdentity.newBuilder()
          .setProject(ItemIdentity.decodeSegment(parts[0]))
          .setRun(ItemIdentity.decodeSegment(parts[1]))
          .setKey(ItemIdentity.decodeSegment(parts[2]))
          .setStep(Long.parseLong(parts[3])).setIndex(Integer.parseInt(parts[4]))
          .build());
    } catch (IllegalArgumentException e) {
      // a step or index that is not a number, or a broken %-escape: not one of our keys
      return Optional.empty();
    }
  }
}
