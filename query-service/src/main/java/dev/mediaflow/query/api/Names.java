package dev.mediaflow.query.api;

import dev.mediaflow.query.http.ApiException;
import dev.mediaflow.query.http.PathCodec;
import dev.mediaflow.query.http.Params;
import dev.mediaflow.schemas.identity.ItemIdentity;

/**
 * The names of a request's path, decoded as the gateway decodes them and validated by the
 * identity codec (a name that could never be stored is a 400, not a 404).
 */
record Names(String project, String run, String key) {

  static String project(String raw) {
    String project = PathCodec.decode("project", raw);
    ItemIdentity.validateProject(project).ifPresent(Names::refuse);
    return project;
  }

  static Names of(String rawProject, String rawRun, String rawKey) {
    String project = project(rawProject);
    String run = PathCodec.decode("run", rawRun);
    ItemIdentity.validateRun(run).ifPresent(Names::refuse);
    String key = null;
    if (rawKey != null) {
      key = PathCodec.decode("key", rawKey);
      // a read may name the derived key of a table's media cells, "<table key>.cells" (the browser does)
      String suffix = ItemIdentity.TABLE_CELLS_SUFFIX;
      String userKey = key.endsWith(suffix) ? key.substring(0, key.length() - suffix.length()) : key;
      ItemIdentity.validateKey(userKey).ifPresent(Names::refuse);
    }
    return new Names(project, run, key);
  }

  static long step(String raw) {
    return Params.longIn("step", raw, ItemIdentity.SUMMARY_STEP, Long.MAX_VALUE);
  }

  static int index(String raw) {
    return (int) Params.longIn("index", raw, 0, Integer.MAX_VALUE);
  }

  private static void refuse(String reason) {
    throw ApiException.badRequest("path: " + reason);
  }

  String describeRun() {
    return "project \"" + project + "\" run \"" + run + "\"";
  }

  String describeKey() {
    return describeRun() + " key \"" + key + "\"";
  }
}
