package dev.mediaflow.schemas.serde;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.util.Utf8;

/**
 * A quick estimate, from above, of a record's Avro binary size, so that the output buffer is
 * allocated once at about the right size instead of doubling from a few hundred bytes (for a
 * record carrying megabytes of {@code bytes}, every doubling copies everything written so far).
 * Only a hint: a record larger than the hint still encodes, the buffer then grows as before.
 */
final class EncodedSizeHint {
  /** Varint of a long (10 bytes at most) plus slack for a union index: any scalar or logical value. */
  private static final int SCALAR = 11;
  /** Hints are capped here (twice the largest record the producers allow): a larger record grows its buffer. */
  static final int MAX_HINT = 128 * 1024 * 1024;
  /** Deeper than this, stop walking (no schema of ours nests so far; the buffer still grows if needed). */
  private static final int MAX_DEPTH = 16;

  private EncodedSizeHint() {
  }

  static int of(Object value) {
    long size = walk(value, 0);
    return (int) Math.min(MAX_HINT, size);
  }

  private static long walk(Object value, int depth) {
    if (value == null) {
      return 1;
    }
    if (depth > MAX_DEPTH) {
      return SCALAR;
    }
    if (value instanceof ByteBuffer buffer) {
      return SCALAR + buffer.remaining();
    }
    if (value instanceof byte[] bytes) {
      return SCALAR + bytes.length;
    }
    if (value instanceof Utf8 utf8) {
      return SCALAR + utf8.getByteLength();
    }
    if (value instanceof CharSequence text) {
      return SCALAR + 3L * text.length(); // UTF-8 takes at most 3 bytes per UTF-16 unit
    }
    if (value instanceof GenericFixed fixed) {
      return SCALAR + fixed.bytes().length;
    }
    if (value instanceof IndexedRecord record) {
      long size = SCALAR;
      int fields = record.getSchema().getFields().size();
      for (int i = 0; i < fields; i++) {
        size += walk(record.get(i), depth + 1);
      }
      return size;
    }
    if (value instanceof Collection<?> items) {
      long size = 2L * SCALAR;
      for (Object item : items) {
        size += walk(item, depth + 1);
      }
      return size;
    }
    if (value instanceof Map<?, ?> map) {
      long size = 2L * SCALAR;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        size += walk(entry.getKey(), depth + 1) + walk(entry.getValue(), depth + 1);
      }
      return size;
    }
    if (value instanceof GenericContainer) {
      return SCALAR; // an enum symbol
    }
    return SCALAR; // numbers, booleans, logical values such as an Instant
  }
}
