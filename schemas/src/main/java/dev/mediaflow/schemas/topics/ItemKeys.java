package dev.mediaflow.schemas.topics;

import dev.mediaflow.schemas.avro.MediaIdentity;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Record keys derived from an item's identity: {@code project/run/key/step/index}, each
 * user-chosen segment percent-encoded so the key is unambiguous. The same identity always
 * gives the same key, so a re-logged item lands in the same partition, in order.
 */
public final class ItemKeys {
  private ItemKeys() {}

  public static String of(MediaIdentity id) {
    return of(id.getProject(), id.getRun(), id.getKey(), id.getStep(), id.getIndex());
  }

  public static String of(String project, String run, String key, long step, int index) {
    return encode(project) + '/' + encode(run) + '/' + encode(key) + '/' + step + '/' + index;
  }

  /** The common start of every item key of one run (for filtering a topic by run). */
  public static String runPrefix(String project, String run) {
    return encode(project) + '/' + encode(run) + '/';
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8);
  }
}
