package dev.mediaflow.ops.replay;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * What one run of a replay did.
 *
 * @param rawInRange raw events between the replay's start and the end seen when this run began
 * @param rawRead raw events read by this run
 * @param rawReadBefore raw events of the range read by earlier runs of the same replay
 * @param transformed items this run sent to the processed topic
 * @param skipped events this run left out (project/run filter)
 * @param deadLettered events this run sent to the dead-letter topic
 * @param stored items stored by the replay's sink; {@code null} in place (the regular sink stores)
 * @param where the target, in words
 */
public record ReplaySummary(String name, long rawInRange, long rawRead, long rawReadBefore, long transformed,
    long skipped, long deadLettered, String deadLetterTopic, Long stored, String where, Duration took) {

  public void print(PrintWriter out) {
    out.printf(Locale.ROOT, "replay %s finished in %.1f s%n", name, took.toMillis() / 1000.0);
    out.printf(Locale.ROOT, "  raw events read: %d (range: %d, read by earlier runs: %d)%n",
        rawRead, rawInRange, rawReadBefore);
    out.printf(Locale.ROOT, "  transformed: %d, skipped by filter: %d%n", transformed, skipped);
    out.printf(Locale.ROOT, "  dead-lettered: %d (%s)%n", deadLettered, deadLetterTopic);
    if (stored != null) {
      out.printf(Locale.ROOT, "  items stored: %d (%s)%n", stored, where);
    } else {
      out.printf(Locale.ROOT, "  items handed to the regular sink: %d (%s)%n", transformed, where);
    }
    out.flush();
  }
}
