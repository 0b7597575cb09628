package dev.mediaflow.ingest.http;

import dev.mediaflow.ingest.logcall.LogCallException;
import dev.mediaflow.schemas.identity.ItemIdentity;

/**
 * The project and run named by a log call's URL path, decoded as RFC 3986 path segments
 * (percent-decoding only: {@code runs/x+y} is run {@code x+y}, {@code runs/x%20y} is run
 * {@code x y}) and validated by the identity codec, so a call is refused before any of its items
 * is accepted when its project or run could never be stored.
 *
 * @param project the decoded project name
 * @param run the decoded run name
 */
record RunPath(String project, String run) {

  /**
   * @throws LogCallException (a 400) naming the segment and the problem: a malformed
   *     percent-escape, bytes that are not UTF-8, or a name {@link ItemIdentity} refuses
   */
  static RunPath decode(String rawProject, String rawRun) {
    String project = segment("project", rawProject);
    String run = segment("run", rawRun);
    ItemIdentity.validateProject(project).or(() -> ItemIdentity.validateRun(run)).ifPresent(reason -> {
      throw new LogCallException("path: " + reason);
    });
    return new RunPath(project, run);
  }

  private static String segment(String what, String raw) {
    try {
      return ItemIdentity.decodePathSegment(raw);
    } catch (IllegalArgumentException e) {
      throw new LogCallException("path: " + what + " segment \"" + raw + "\": " + e.getMessage());
    }
  }
}
