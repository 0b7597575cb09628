package dev.mediaflow.query.api;

import dev.mediaflow.query.http.PathCodec;
import dev.mediaflow.query.store.ItemRow;

/** The API's URLs of an item and its parts: absolute paths, every name encoded. */
final class Urls {
  static final String BASE = "/api/v1";

  private Urls() {}

  static String key(String project, String run, String key) {
    return BASE + "/projects/" + PathCodec.encode(project) + "/runs/" + PathCodec.encode(run) + "/keys/"
        + PathCodec.encode(key);
  }

  static String item(ItemRow row) {
    return key(row.project(), row.run(), row.key()) + "/steps/" + row.step() + "/items/" + row.index();
  }

  static String object(ItemRow row, String role) {
    return item(row) + "/objects/" + PathCodec.encode(role);
  }

  static String preview(ItemRow row) {
    return item(row) + "/preview";
  }

  static String ply(ItemRow row) {
    return item(row) + "/pointcloud.ply";
  }
}
