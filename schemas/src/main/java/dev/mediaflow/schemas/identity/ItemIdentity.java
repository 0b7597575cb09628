package dev.mediaflow.schemas.identity;

import dev.mediaflow.schemas.avro.MediaIdentity;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The one codec of an item's identity {@code (project, run, key, step, index)}: its validation,
 * its Kafka record key, the S3 object key segments of its names, and the decoding of names from
 * URL path segments. Every service goes through this class, so two names are one item exactly
 * when they are equal strings.
 *
 * <h2>Segment encoding (injective)</h2>
 * A name is written as the percent-encoded (upper-case hex) UTF-8 of its code points, except the
 * unreserved characters {@code A-Z a-z 0-9 - _ ~}, and {@code .} unless it starts the name or
 * follows another {@code .} (so no segment is {@code .}, {@code ..} or hidden). The empty name is
 * {@value #EMPTY_SEGMENT}, an escaped {@code _}, which the encoding never produces otherwise
 * ({@code _} is always literal). Percent-decoding the bytes gives the name back, so distinct names
 * never share an encoding; in particular {@code x+y}, {@code x y} and {@code x%20y} are
 * {@code x%2By}, {@code x%20y} and {@code x%2520y}. An unpaired surrogate (not valid Unicode,
 * refused by {@link #validateKey}) is encoded as its 3-byte generalized UTF-8 form, never as a
 * lossy {@code ?}, so even unvalidated names stay distinct.
 *
 * <h2>Length limits</h2>
 * Object keys are {@code {prefix}/{project}/{run}/{key}/{step}/{index}[-{role}].{ext}} and must
 * fit every store: S3 allows {@value #STORE_MAX_KEY_BYTES} bytes per key, filesystem backends
 * (S3Proxy's filesystem store, most POSIX filesystems) {@value #STORE_MAX_SEGMENT_BYTES} bytes
 * per path segment. The limits below, all in bytes of the <em>encoded</em> segment, are derived
 * from those two in one place so that the longest key the sink can build fits both:
 * <ul>
 *   <li>key: {@value #MAX_KEY_BYTES} (one segment, minus the longest derived suffix,
 *       {@value #TABLE_CELLS_SUFFIX});
 *   <li>project and run: {@value #MAX_PROJECT_BYTES} each (what is left of the 1,024 bytes after
 *       the longest prefix, key, step and file name and the five slashes, shared equally);
 *   <li>file name: at most {@value #MAX_FILE_NAME_BYTES} (a segment, minus the temporary
 *       suffix a filesystem store adds while writing), from an index of at most 11 characters, a
 *       role of at most {@value #MAX_ROLE_BYTES} and an extension of at most
 *       {@value #MAX_EXTENSION_BYTES} bytes;
 *   <li>configured prefix: {@value #MAX_PREFIX_BYTES}.
 * </ul>
 * A name of plain ASCII letters and digits counts one byte per character; any other character
 * counts 3 bytes per UTF-8 byte ({@code é} is 6, {@code 日} is 9, {@code 😀} is 12).
 *
 * <h2>Record keys</h2>
 * {@code {project}/{run}/{key}/{step}/{index}} with the same segment encoding. Until this codec
 * existed, record keys used form encoding ({@code URLEncoder}: a space as {@code +}, {@code *}
 * literal, {@code ~} escaped, leading dots and empty names literal); names without those
 * characters keep the same key. For the others the key, hence possibly the partition, of records
 * logged after the change differs from older records of the same identity. That is safe: the
 * key only spreads records over partitions; transform and sink read the identity from the event
 * (the sink's object keys and the row's primary key come from it, never from the record key),
 * so an item is stored at the same object and row whatever key it came with. What is not kept is
 * the order between an older and a newer copy of one such identity on a replay from the beginning.
 *
 * <p>Stateless and thread-safe.
 */
public final class ItemIdentity {

  /**
   * The reserved step of a run's summary media ({@code run.summary.update({...})} in the
   * reference, {@code POST /v1/projects/{p}/runs/{r}/summary}): logged once, without a step.
   * Logged steps are never negative (the gateway refuses them), so {@code -1} cannot collide
   * with one; identity, record key, row primary key and overwrite-on-re-post work unchanged,
   * and re-posting a summary key overwrites its one item. Object keys write the segment
   * {@value #SUMMARY_STEP_SEGMENT} in place of the step.
   */
  public static final long SUMMARY_STEP = -1L;
  /** The object key segment of {@link #SUMMARY_STEP}: letters, so no logged step prints as it. */
  public static final String SUMMARY_STEP_SEGMENT = "summary";

  /** S3's limit on an object key, in UTF-8 bytes. */
  public static final int STORE_MAX_KEY_BYTES = 1024;
  /** The limit on one path segment of filesystem-backed stores, in bytes. */
  public static final int STORE_MAX_SEGMENT_BYTES = 255;
  /** The longest operator-configured object key prefix, in bytes. */
  public static final int MAX_PREFIX_BYTES = 128;
  /** The longest step segment: {@code Long.MIN_VALUE} zero-padded. */
  static final int MAX_STEP_CHARS = 20;
  /** The longest index: {@code Integer.MIN_VALUE}. */
  static final int MAX_INDEX_CHARS = 11;
  /** The longest encoded file extension an object may have (e.g. {@code pts.json}). */
  public static final int MAX_EXTENSION_BYTES = 24;
  /**
   * What a filesystem store adds to a file's name while writing it: S3Proxy's filesystem backend
   * ({@code AbstractNio2BlobStore.putBlob}) writes {@code <name>-<uuid>} and then moves it, so a
   * file name must leave room for 37 bytes (directories are created as named).
   * {@code ObjectKeyLimitsIT} shows a file name one byte longer refused.
   */
  public static final int FILESYSTEM_TEMP_SUFFIX_BYTES = 1 + 36;
  /** The longest object file name, {@code {index}[-{role}].{ext}}. */
  public static final int MAX_FILE_NAME_BYTES = STORE_MAX_SEGMENT_BYTES - FILESYSTEM_TEMP_SUFFIX_BYTES;
  /** The longest encoded object role ({@code mask-<group>} included). */
  public static final int MAX_ROLE_BYTES = MAX_FILE_NAME_BYTES - MAX_INDEX_CHARS - 2 - MAX_EXTENSION_BYTES;
  /** What a table's media cells are stored under: {@code <table key>.cells}. Reserved in user keys. */
  public static final String TABLE_CELLS_SUFFIX = ".cells";
  /** The longest encoded user key: one segment minus the longest derived suffix. */
  public static final int MAX_KEY_BYTES = STORE_MAX_SEGMENT_BYTES - TABLE_CELLS_SUFFIX.length();
  /** The longest encoded project name. */
  public static final int MAX_PROJECT_BYTES =
      (STORE_MAX_KEY_BYTES - MAX_PREFIX_BYTES - 5 - STORE_MAX_SEGMENT_BYTES - MAX_STEP_CHARS - MAX_FILE_NAME_BYTES) / 2;
  /** The longest encoded run name. */
  public static final int MAX_RUN_BYTES = MAX_PROJECT_BYTES;
  /** What an empty name is encoded as. */
  public static final String EMPTY_SEGMENT = "%5F";

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
  private static final int SHOWN_CHARS = 64;

  private ItemIdentity() {}

  // ---- validation -------------------------------------------------------------------------

  /** Why a project name cannot be an identity, or empty when it can. */
  public static Optional<String> validateProject(String project) {
    return validateName("project", project, false, MAX_PROJECT_BYTES);
  }

  /** Why a run name cannot be an identity, or empty when it can. */
  public static Optional<String> validateRun(String run) {
    return validateName("run", run, false, MAX_RUN_BYTES);
  }

  /**
   * Why a key chosen by a user cannot be an identity, or empty when it can. Besides the rules
   * of every name, a user key must not end with {@value #TABLE_CELLS_SUFFIX}: that suffix names
   * the items derived from a table's media cells, which must never overwrite a user's item.
   */
  public static Optional<String> validateKey(String key) {
    Optional<String> problem = validateName("key", key, true, MAX_KEY_BYTES);
    if (problem.isEmpty() && key.endsWith(TABLE_CELLS_SUFFIX)) {
      return Optional.of("key \"" + shown(key) + "\" ends with \"" + TABLE_CELLS_SUFFIX
          + "\", which is reserved for the media cells of tables");
    }
    return problem;
  }

  /**
   * Why an identity as stored (user or derived key) cannot be written, or empty when it can:
   * the sink's last line of defence. It checks only what the stores need (valid Unicode, no
   * U+0000, the length limits, a derived key counted against the full segment), so items stored before the
   * gateway refused control characters and empty names are still stored on a replay.
   */
  public static Optional<String> validateStored(MediaIdentity id) {
    return storeProblem("project", id.getProject(), MAX_PROJECT_BYTES)
        .or(() -> storeProblem("run", id.getRun(), MAX_RUN_BYTES))
        .or(() -> storeProblem("key", id.getKey(), STORE_MAX_SEGMENT_BYTES));
  }

  /**
   * Why a name cannot be part of an identity, or empty when it can: it must be valid Unicode (no
   * unpaired surrogate), hold no control character (C0, DEL, C1), be non-empty unless
   * {@code allowEmpty}, and be at most {@code maxEncodedBytes} once encoded.
   *
   * @param what the name's role in messages, e.g. {@code run} or {@code mask group}
   */
  public static Optional<String> validateName(String what, String name, boolean allowEmpty, int maxEncodedBytes) {
    if (name == null || (name.isEmpty() && !allowEmpty)) {
      return Optional.of(what + " must not be empty");
    }
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      if (Character.isISOControl(cp)) {
        return Optional.of(what + " \"" + shown(name) + "\" holds control character " + codePoint(cp)
            + " at character " + i);
      }
      i += Character.charCount(cp);
    }
    return storeProblem(what, name, maxEncodedBytes);
  }

  /**
   * Why a name cannot be written to a store, or empty when it can: it must be valid Unicode,
   * hold no U+0000 (PostgreSQL text cannot) and be at most {@code maxEncodedBytes} once encoded.
   */
  public static Optional<String> storeProblem(String what, String name, int maxEncodedBytes) {
    return storeProblem(what, name, maxEncodedBytes, encodedLength(name));
  }

  /**
   * Why a name cannot be an object's role (a part of its file name, see {@link #encodeNamePart}),
   * or empty when it can: valid Unicode, at most {@value #MAX_ROLE_BYTES} bytes once encoded.
   *
   * @param what the name's role in messages, e.g. {@code mask group}
   */
  public static Optional<String> validateRole(String what, String role) {
    return storeProblem(what, role, MAX_ROLE_BYTES, encodeNamePart(role).length());
  }

  private static Optional<String> storeProblem(String what, String name, int maxEncodedBytes, int encoded) {
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      if (isLoneSurrogate(cp)) {
        return Optional.of(what + " \"" + shown(name) + "\" is not valid Unicode: unpaired surrogate "
            + codePoint(cp) + " at character " + i);
      }
      if (cp == 0) {
        return Optional.of(what + " \"" + shown(name) + "\" holds U+0000 at character " + i
            + ", which PostgreSQL text cannot store");
      }
      i += Character.charCount(cp);
    }
    if (encoded > maxEncodedBytes) {
      return Optional.of(what + " \"" + shown(name) + "\" is " + encoded
          + " bytes percent-encoded, above the limit of " + maxEncodedBytes + " (" + name.length() + " characters)");
    }
    return Optional.empty();
  }

  // ---- encoding ---------------------------------------------------------------------------

  /** The record key of an item: {@code {project}/{run}/{key}/{step}/{index}}, names encoded. */
  public static String recordKey(MediaIdentity id) {
    return recordKey(id.getProject(), id.getRun(), id.getKey(), id.getStep(), id.getIndex());
  }

  /** The record key of an item: {@code {project}/{run}/{key}/{step}/{index}}, names encoded. */
  public static String recordKey(String project, String run, String key, long step, int index) {
    return runPrefix(project, run) + encodeSegment(key) + '/' + step + '/' + index;
  }

  /** The common start of every record key of one run (for filtering a topic by run). */
  public static String runPrefix(String project, String run) {
    return encodeSegment(project) + '/' + encodeSegment(run) + '/';
  }

  /** The key under which the media cells of the table logged under {@code tableKey} are stored. */
  public static String tableCellsKey(String tableKey) {
    return tableKey + TABLE_CELLS_SUFFIX;
  }

  /**
   * One name as a single safe path segment (see the class comment).
   *
   * @return the encoded segment; {@value #EMPTY_SEGMENT} for an empty name
   */
  public static String encodeSegment(String name) {
    return appendSegment(new StringBuilder(name.length() + 8), name, false).toString();
  }

  /**
   * A name inside a file name, such as an object's role: like {@link #encodeSegment} but every
   * {@code .} is encoded, so the first literal {@code .} after it starts the extension.
   */
  public static String encodeNamePart(String name) {
    return appendSegment(new StringBuilder(name.length() + 8), name, true).toString();
  }

  /** The length in bytes (= characters) of {@link #encodeSegment}'s result. */
  public static int encodedLength(String name) {
    return appendSegment(new StringBuilder(name.length() + 8), name, false).length();
  }

  /** Appends the encoded form of {@code name} to {@code out}; see {@link #encodeSegment}. */
  public static StringBuilder appendSegment(StringBuilder out, String name, boolean encodeAllDots) {
    if (name.isEmpty()) {
      return out.append(EMPTY_SEGMENT);
    }
    boolean previousWasDot = false;
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      boolean literalDot = cp == '.' && !encodeAllDots && i > 0 && !previousWasDot;
      if (isUnreserved(cp) || literalDot) {
        out.append((char) cp);
      } else {
        appendEscapedUtf8(out, cp);
      }
      previousWasDot = cp == '.';
      i += Character.charCount(cp);
    }
    return out;
  }

  // ---- decoding ---------------------------------------------------------------------------

  /** The name an {@link #encodeSegment} result stands for. */
  public static String decodeSegment(String encoded) {
    return EMPTY_SEGMENT.equals(encoded) ? "" : decodePathSegment(encoded);
  }

  /**
   * One segment of a URL path as RFC 3986 defines it: percent-escapes are decoded as UTF-8 and
   * nothing else changes ({@code +} stays {@code +}, unlike form decoding).
   *
   * @throws IllegalArgumentException naming the problem when an escape is malformed
   *     ({@code %} not followed by two hex digits) or the bytes are not valid UTF-8
   */
  public static String decodePathSegment(String raw) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int high = i + 1 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int low = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
        if (high < 0 || low < 0) {
          throw new IllegalArgumentException("malformed percent-escape at character " + i
              + " (a % must be followed by two hex digits)");
        }
        bytes.write(high << 4 | low);
        i += 2;
      } else {
        byte[] literal = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(literal, 0, literal.length);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("percent-escapes do not decode to valid UTF-8", e);
    }
  }

  // ---- helpers ----------------------------------------------------------------------------

  private static boolean isUnreserved(int cp) {
    return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')
        || cp == '-' || cp == '_' || cp == '~';
  }

  /** UTF-8 of one code point, escaped; a lone surrogate gets its 3-byte form (as WTF-8 does). */
  private static void appendEscapedUtf8(StringBuilder out, int cp) {
    if (cp < 0x80) {
      appendEscapedByte(out, cp);
    } else if (cp < 0x800) {
      appendEscapedByte(out, 0xC0 | cp >> 6);
      appendEscapedByte(out, 0x80 | cp & 0x3F);
    } else if (cp < 0x10000) {
      appendEscapedByte(out, 0xE0 | cp >> 12);
      appendEscapedByte(out, 0x80 | cp >> 6 & 0x3F);
      appendEscapedByte(out, 0x80 | cp & 0x3F);
    } else {
      appendEscapedByte(out, 0xF0 | cp >> 18);
      appendEscapedByte(out, 0x80 | cp >> 12 & 0x3F);
      appendEscapedByte(out, 0x80 | cp >> 6 & 0x3F);
      appendEscapedByte(out, 0x80 | cp & 0x3F);
    }
  }

  private static void appendEscapedByte(StringBuilder out, int b) {
    out.append('%').append(HEX[b >>> 4 & 0x0F]).append(HEX[b & 0x0F]);
  }

  /** A code point as {@link String#codePointAt} returns it for a surrogate without its pair. */
  private static boolean isLoneSurrogate(int cp) {
    return cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE;
  }

  /** A name for a message: at most 64 code points, control characters and lone surrogates escaped. */
  private static String shown(String name) {
    StringBuilder out = new StringBuilder();
    int shown = 0;
    int i = 0;
    for (; i < name.length() && shown < SHOWN_CHARS; shown++) {
      int cp = name.codePointAt(i);
      if (Character.isISOControl(cp) || isLoneSurrogate(cp)) {
        out.append("\\u").append(hex4(cp));
      } else {
        out.appendCodePoint(cp);
      }
      i += Character.charCount(cp);
    }
    return i < name.length() ? out.append('…').toString() : out.toString();
  }

  private static String codePoint(int cp) {
    return "U+" + hex4(cp);
  }

  private static String hex4(int cp) {
    return String.format(Locale.ROOT, "%04X", cp);
  }
}
