package dev.mediaflow.query.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediaflow.query.auth.ReadAccess;
import dev.mediaflow.query.http.ApiException;
import dev.mediaflow.query.http.ByteRange;
import dev.mediaflow.query.http.Exchange;
import dev.mediaflow.query.store.ItemRow;
import dev.mediaflow.query.store.MediaStore;
import dev.mediaflow.query.store.ObjectReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The stored bytes of an item's objects, streamed from S3 with their type, a strong ETag,
 * {@code If-None-Match} (304) and one {@code Range} (206/416); the point-cloud PLY is one of them,
 * answered with its truncation in headers.
 */
final class ObjectsResource {
  private final MediaStore store;
  private final ObjectReader objects;
  private final ReadAccess access;

  ObjectsResource(MediaStore store, ObjectReader objects, ReadAccess access) {
    this.store = store;
    this.objects = objects;
    this.access = access;
  }

  /** The item at the path, or a 404 naming its identity. */
  static ItemRow item(MediaStore store, ReadAccess access, Exchange ex, Names names, long step, int index) {
    access.require(ex, names.project());
    return store.item(names.project(), names.run(), names.key(), step, index).orElseThrow(() ->
        ApiException.notFound("no item " + ItemRow.describe(names.project(), names.run(), names.key(), step, index)));
  }

  /** The S3 key of the item's object {@code role}, or a 404. */
  static String objectKey(ItemRow row, String role) {
    JsonNode key = ItemJson.parse(row.objectKeysJson()).get(role);
    if (key == null) {
      throw ApiException.notFound("item " + row.describe() + " has no object \"" + role + "\"");
    }
    return key.asText();
  }

  void object(Exchange ex, Names names, long step, int index, String role) throws IOException {
    ItemRow row = item(store, access, ex, names, step, index);
    send(ex, row, objectKey(row, role));
  }

  void ply(Exchange ex, Names names, long step, int index) throws IOException {
    ItemRow row = item(store, access, ex, names, step, index);
    JsonNode meta = row.metadataJson() == null ? null : ItemJson.parse(row.metadataJson());
    if (meta == null || !ItemJson.parse(row.objectKeysJson()).has(ItemJson.PLY_ROLE)) {
      throw ApiException.notFound("item " + row.describe() + " is not a stored point cloud");
    }
    ex.setHeader("X-Mediaflow-Points", meta.path("kept_count").asText());
    ex.setHeader("X-Mediaflow-Original-Points", meta.path("original_count").asText());
    ex.setHeader("X-Mediaflow-Truncated", Boolean.toString(meta.path("truncated").asBoolean()));
    send(ex, row, objectKey(row, ItemJson.PLY_ROLE));
  }

  private void send(Exchange ex, ItemRow row, String key) throws IOException {
    ObjectReader.Head head = objects.head(key).orElseThrow(() ->
        ApiException.notFound("the object " + key + " of item " + row.describe() + " is not in S3"));
    String etag = head.etag() == null ? null : strong(head.etag());
    ex.setHeader(HttpHeader.ACCEPT_RANGES, "bytes");
    ex.setHeader(HttpHeader.CACHE_CONTROL, "no-cache");
    if (etag != null) {
      ex.setHeader(HttpHeader.ETAG, etag);
      if (Conditional.matches(ex.header(HttpHeader.IF_NONE_MATCH), etag)) {
        ex.empty(304);
        return;
      }
    }
    String type = head.contentType() == null ? "application/octet-stream" : head.contentType();
    ByteRange range;
    try {
      range = ByteRange.parse(ex.header(HttpHeader.RANGE), head.size());
    } catch (ApiException e) {
      if (e.status() == 416) {
        ex.setHeader(HttpHeader.CONTENT_RANGE, "bytes */" + head.size());
      }
      throw e;
    }
    if (head.size() == 0) {
      ex.stream(200, type, 0, new ByteArrayInputStream(new byte[0]));
    } else if (range == null) {
      ex.stream(200, type, head.size(), objects.open(key, 0, head.size() - 1));
    } else {
      ex.setHeader(HttpHeader.CONTENT_RANGE, range.contentRange(head.size()));
      ex.stream(206, type, range.length(), objects.open(key, range.first(), range.last()));
    }
  }

  /** S3's ETag as a strong validator (quoted, without a weak prefix). */
  static String strong(String etag) {
    String bare = etag.startsWith("W/") ? etag.substring(2) : etag;
    return bare.startsWith("\"") ? bare : "\"" + bare + "\"";
  }
}
