package dev.mediaflow.ops.deadletter;

import java.io.PrintWriter;

/**
 * What one redrive did.
 *
 * @param redriven letters sent back to their source topic
 * @param rejectedAgain letters left because they are the rejection of an earlier redrive
 * @param ingest ingest-stage letters of the selected items, which are re-posted to the gateway, not re-driven
 * @param unroutable letters without a usable source topic
 * @param full letters left because the progress record was full
 */
public record RedriveSummary(String stage, String topic, long redriven, long rejectedAgain, long ingest,
    long unroutable, long full) {

  public void print(PrintWriter out) {
    out.printf("redrive of %s-stage dead letters on %s (group %s)%n", stage, topic, Redrive.GROUP);
    out.printf("  re-driven: %d%n", redriven);
    if (rejectedAgain > 0) {
      out.printf("  left: %d rejected again after an earlier redrive (after another fix, redrive with"
          + " --include-redriven)%n", rejectedAgain);
    }
    if (ingest > 0) {
      out.printf("  skipped: %d ingest-stage letters cannot be re-driven to a topic (each holds its item as the"
          + " gateway received it: post the value back to the gateway once fixed)%n", ingest);
    }
    if (unroutable > 0) {
      out.printf("  skipped: %d letters without a usable source topic%n", unroutable);
    }
    if (full > 0) {
      out.printf("  left: %d letters because the progress record is full: redrive the other stages, projects"
          + " or runs first, then run this again%n", full);
    }
    out.flush();
  }

  static final class Builder {
    long redriven;
    long rejectedAgain;
    long ingest;
    long unroutable;
    long full;

    RedriveSummary build(String stage, String topic) {
      return new RedriveSummary(stage, topic, redriven, rejectedAgain, ingest, unroutable, full);
    }
  }
}
