package dev.mediaflow.query.api;

import dev.mediaflow.query.auth.ReadAccess;
import dev.mediaflow.query.http.ApiException;
import dev.mediaflow.query.http.Exchange;
import dev.mediaflow.query.http.Params;
import dev.mediaflow.query.media.PreviewCache;
import dev.mediaflow.query.media.Thumbnail;
import dev.mediaflow.query.media.Thumbnails;
import dev.mediaflow.query.store.ItemRow;
import dev.mediaflow.query.store.MediaStore;
import dev.mediaflow.query.store.ObjectReader;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Small thumbnails of image items, made on the server and cached by the image's SHA-256 and the
 * size: the browser never loads a full image to show a grid. The ETag is that content hash and
 * size, so a revalidation (304) costs one SQL lookup, no S3 read.
 */
final class PreviewResource {
  static final int DEFAULT_SIZE = 256;
  static final int MIN_SIZE = 16;
  static final int MAX_SIZE = 1024;

  private final MediaStore store;
  private final ObjectReader objects;
  private final ReadAccess access;
  private final PreviewCache cache;

  PreviewResource(MediaStore store, ObjectReader objects, ReadAccess access, PreviewCache cache) {
    this.store = store;
    this.objects = objects;
    this.access = access;
    this.cache = cache;
  }

  void preview(Exchange ex, Names names, long step, int index) {
    int size = Params.intIn("size", ex.parameter("size"), MIN_SIZE, MAX_SIZE, DEFAULT_SIZE);
    ItemRow row = ObjectsResource.item(store, access, ex, names, step, index);
    if (!row.mediaType().equals("image") || row.objectKey() == null) {
      throw ApiException.notFound("item " + row.describe() + " is a " + row.mediaType() + ", not an image: no preview");
    }
    String version = row.sha256() != null ? row.sha256() : row.objectKey() + "@" + row.loggedAt();
    String etag = "\"p-" + (row.sha256() != null ? row.sha256() : Integer.toHexString(version.hashCode())) + "-"
        + size + "\"";
    ex.setHeader(HttpHeader.ETAG, etag);
    ex.setHeader(HttpHeader.CACHE_CONTROL, "no-cache");
    if (Conditional.matches(ex.header(HttpHeader.IF_NONE_MATCH), etag)) {
      ex.empty(304);
      return;
    }
    Thumbnail thumbnail = cache.get(version + "/" + size, () -> make(row, size));
    ex.bytes(200, thumbnail.contentType(), thumbnail.bytes());
  }

  private Thumbnail make(ItemRow row, int size) {
    byte[] image = objects.readAll(row.objectKey());
    try {
      return Thumbnails.of(image, size);
    } catch (IllegalArgumentException e) {
      throw new ApiException(404, "not_found", "item " + row.describe() + " has no preview: " + e.getMessage());
    }
  }
}
