package dev.mediaflow.query.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediaflow.query.auth.ReadAccess;
import dev.mediaflow.query.http.ApiException;
import dev.mediaflow.query.http.Exchange;
import dev.mediaflow.query.store.ItemRow;
import dev.mediaflow.query.store.MediaStore;
import dev.mediaflow.query.store.ObjectReader;
import java.io.IOException;

/**
 * The scene of a point cloud without its points: the stored pts.json read as a stream, its
 * {@code points} array skipped, so the browser gets boxes and vectors without the whole cloud as
 * JSON (it loads the points as binary PLY).
 */
final class SceneResource {
  private final MediaStore store;
  private final ObjectReader objects;
  private final ReadAccess access;

  SceneResource(MediaStore store, ObjectReader objects, ReadAccess access) {
    this.store = store;
    this.objects = objects;
    this.access = access;
  }

  void scene(Exchange ex, Names names, long step, int index) throws IOException {
    ItemRow row = ObjectsResource.item(store, access, ex, names, step, index);
    if (!ItemJson.parse(row.objectKeysJson()).has(ItemJson.PLY_ROLE)) {
      throw ApiException.notFound("item " + row.describe() + " is not a stored point cloud");
    }
    byte[] pts = objects.readAll(ObjectsResource.objectKey(row, ItemJson.SCENE_ROLE));
    ex.json(200, withoutPoints(pts));
  }

  /** The top-level fields of a pts.json but {@code points}; {@code boxes}/{@code vectors} default to []. */
  static ObjectNode withoutPoints(byte[] ptsJson) throws IOException {
    ObjectNode scene = Exchange.JSON.createObjectNode();
    try (JsonParser parser = Exchange.JSON.getFactory().createParser(ptsJson)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("pts.json is not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        if (field.equals("points")) {
          parser.skipChildren();
        } else {
          scene.set(field, Exchange.JSON.readTree(parser));
        }
      }
    }
    if (!scene.has("boxes")) {
      scene.putArray("boxes");
    }
    if (!scene.has("vectors")) {
      scene.putArray("vectors");
    }
    return scene;
  }
}
