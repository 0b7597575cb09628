package dev.mediaflow.query.media;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Encoded thumbnails in memory, least recently used dropped once their bytes exceed the bound.
 * Keys name the source's content (its SHA-256) and the size, so a re-logged image never gets a
 * stale thumbnail. Two requests for one missing thumbnail may both make it (harmless; no lock is
 * held while encoding).
 */
public final class PreviewCache {
  private final long maxBytes;
  private final Map<String, Thumbnail> entries = new LinkedHashMap<>(256, 0.75f, true);
  private long bytes;
  private long hits;
  private long misses;

  /** @param maxBytes bound of the encoded bytes held; 0 keeps nothing */
  public PreviewCache(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The cached thumbnail of {@code key}, or the one {@code make} returns (then cached). */
  public Thumbnail get(String key, Supplier<Thumbnail> make) {
    synchronized (this) {
      Thumbnail cached = entries.get(key);
      if (cached != null) {
        hits++;
        return cached;
      }
      misses++;
    }
    Thumbnail made = make.get();
    put(key, made);
    return made;
  }

  private synchronized void put(String key, Thumbnail thumbnail) {
    if (thumbnail.bytes().length > maxBytes) {
      return;
    }
    Thumbnail old = entries.put(key, thumbnail);
    bytes += thumbnail.bytes().length - (old == null ? 0 : old.bytes().length);
    var eldest = entries.entrySet().iterator();
    while (bytes > maxBytes && eldest.hasNext()) {
      bytes -= eldest.next().getValue().bytes().length;
      eldest.remove();
    }
  }

  public synchronized long bytes() {
    return bytes;
  }

  public synchronized int size() {
    return entries.size();
  }

  public synchronized long hits() {
    return hits;
  }

  public synchronized long misses() {
    return misses;
  }
}
