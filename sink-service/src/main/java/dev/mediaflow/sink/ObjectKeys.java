package dev.mediaflow.sink;

import dev.mediaflow.schemas.avro.MediaIdentity;
import dev.mediaflow.schemas.avro.MediaObject;
import dev.mediaflow.schemas.avro.ProcessedMedia;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Derives deterministic, safe S3 object keys from an item's identity and one of its objects.
 *
 * <p>Layout: {@code {prefix}/{project}/{run}/{key}/{step}/{name}} where {@code step} is
 * zero-padded to 12 digits (so keys sort by step) and {@code name} is
 * {@code {index}.{extension}} for the main object and {@code {index}-{role}.{extension}} for
 * every other role. The main object is the one whose role is {@value #MAIN_ROLE} or equals the
 * event's media type (an image's main object has role {@code image}).
 *
 * <p>Safety: project, run, key, role and extension are percent-encoded (UTF-8, upper-case hex)
 * except for the unreserved characters {@code A-Z a-z 0-9 - _ ~} and {@code .}; a {@code .} is
 * encoded too when it starts a segment or follows another {@code .}. So a key never starts with
 * {@code /}, never contains {@code //} or {@code ..}, and no user name can add a path level.
 * An empty name becomes {@value #EMPTY_SEGMENT} (an escaped {@code _}, which encoding never
 * produces otherwise). The mapping is injective: distinct identities never share a key.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ObjectKeys {

  /** Prefix used when none is configured. */
  public static final String DEFAULT_PREFIX = "media";
  /** Role that marks the main object whatever the media type. */
  public static final String MAIN_ROLE = "main";
  /** What an empty user-chosen name becomes. */
  public static final String EMPTY_SEGMENT = "%5F";
  /** S3's limit on a key, in UTF-8 bytes. */
  public static final int MAX_KEY_BYTES = 1024;
  /**
   * Longest path segment (between two {@code /}) of a key, in bytes: the file name limit of the
   * filesystems under S3Proxy's and MinIO's filesystem backends, which answer such a key with a
   * retryable-looking HTTP 500 ("File name too long") that would never succeed.
   */
  public static final int MAX_SEGMENT_BYTES = 255;

  private static final Pattern SAFE_PREFIX_SEGMENT = Pattern.compile("[A-Za-z0-9_~-][A-Za-z0-9._~-]*");
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private final String prefix;

  /** Keys under {@value #DEFAULT_PREFIX}. */
  public ObjectKeys() {
    this(DEFAULT_PREFIX);
  }

  /**
   * @param prefix operator-chosen key prefix, e.g. {@code media} or {@code env/media}; may be
   *     empty; surrounding slashes are ignored
   * @throws IllegalArgumentException if a prefix segment is not plain URL-safe text, or is
   *     {@code .}/{@code ..}
   */
  public ObjectKeys(String prefix) {
    this.prefix = normalizePrefix(Objects.requireNonNull(prefix, "prefix"));
  }

  /** The normalized prefix (no leading or trailing slash), possibly empty. */
  public String prefix() {
    return prefix;
  }

  /**
   * Keys for every object of an event, by role, in the event's order.
   *
   * @throws UnstorableItemException if two objects share a role, more than one object is the
   *     main object, or a key exceeds {@value #MAX_KEY_BYTES} bytes or has a segment above
   *     {@value #MAX_SEGMENT_BYTES} bytes; the event can never be stored as is
   */
  public Map<String, String> keysFor(ProcessedMedia event) {
    Map<String, String> keys = new LinkedHashMap<>();
    Set<String> uniqueKeys = new HashSet<>();
    int mainObjects = 0;
    for (MediaObject object : event.getObjects()) {
      String role = object.getRole();
      if (isMain(role, event.getMediaType()) && ++mainObjects > 1) {
        throw new UnstorableItemException("more than one main object in " + describe(event.getIdentity()));
      }
      String key = key(event.getIdentity(), event.getMediaType(), object);
      if (keys.put(role, key) != null || !uniqueKeys.add(key)) {
        throw new UnstorableItemException(
            "duplicate object role '" + role + "' in " + describe(event.getIdentity()));
      }
    }
    return keys;
  }

  /**
   * The key of one object of an item.
   *
   * @param mediaType the event's media type, which decides whether the object is the main one
   * @throws UnstorableItemException if the key would exceed {@value #MAX_KEY_BYTES} bytes, or
   *     one of its segments {@value #MAX_SEGMENT_BYTES} bytes
   */
  public String key(MediaIdentity identity, String mediaType, MediaObject object) {
    return key(identity, isMain(object.getRole(), mediaType) ? null : object.getRole(), object.getExtension());
  }

  /**
   * The key of one object of an item.
   *
   * @param role the object's role, or {@code null} for the main object
   * @param extension file extension without the dot; empty for none
   * @throws UnstorableItemException if the key would exceed {@value #MAX_KEY_BYTES} bytes, or
   *     one of its segments {@value #MAX_SEGMENT_BYTES} bytes
   */
  public String key(MediaIdentity identity, String role, String extension) {
    StringBuilder key = new StringBuilder(128);
    if (!prefix.isEmpty()) {
      key.append(prefix).append('/');
    }
    appendSegment(key, identity.getProject(), false).append('/');
    appendSegment(key, identity.getRun(), false).append('/');
    appendSegment(key, identity.getKey(), false).append('/');
    key.append(String.format(Locale.ROOT, "%012d", identity.getStep())).append('/');
    key.append(identity.getIndex());
    if (role != null) {
      // a role never keeps a literal '.', so the first '.' of the name starts the extension
      appendSegment(key.append('-'), role, true);
    }
    if (!extension.isEmpty()) {
      appendSegment(key.append('.'), extension, false);
    }
    String result = key.toString();
    if (result.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new UnstorableItemException("object key longer than " + MAX_KEY_BYTES + " bytes for "
          + describe(identity));
    }
    for (String segment : result.split("/")) {
      // the key is ASCII once encoded: one char, one byte
      if (segment.length() > MAX_SEGMENT_BYTES) {
        throw new UnstorableItemException("object key segment longer than " + MAX_SEGMENT_BYTES
            + " bytes (the file name limit of filesystem-backed stores) for " + describe(identity));
      }
    }
    return result;
  }

  /** Whether an object with this role is the main object of an item of this media type. */
  public static boolean isMain(String role, String mediaType) {
    return MAIN_ROLE.equals(role) || role.equals(mediaType);
  }

  /**
   * Percent-encodes one user-chosen name so it is a single safe path segment.
   *
   * @return the encoded segment; {@value #EMPTY_SEGMENT} for an empty name
   */
  public static String encodeSegment(String name) {
    return appendSegment(new StringBuilder(name.length() + 8), name, false).toString();
  }

  private static StringBuilder appendSegment(StringBuilder out, String name, boolean encodeAllDots) {
    if (name.isEmpty()) {
      return out.append(EMPTY_SEGMENT);
    }
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xFF;
      boolean literalDot = b == '.' && !encodeAllDots && i > 0 && bytes[i - 1] != '.';
      if (isUnreserved(b) || literalDot) {
        out.append((char) b);
      } else {
        out.append('%').append(HEX[b >>> 4]).append(HEX[b & 0x0F]);
      }
    }
    return out;
  }

  private static boolean isUnreserved(int b) {
    return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
        || b == '-' || b == '_' || b == '~';
  }

  private static String normalizePrefix(String prefix) {
    String trimmed = prefix.replaceAll("^/+|/+$", "");
    if (trimmed.isEmpty()) {
      return "";
    }
    for (String segment : trimmed.split("/", -1)) {
      if (!SAFE_PREFIX_SEGMENT.matcher(segment).matches() || segment.contains("..")) {
        throw new IllegalArgumentException("unsafe object key prefix: '" + prefix + "'");
      }
    }
    return trimmed;
  }

  static String describe(MediaIdentity id) {
    return "project=" + id.getProject() + " run=" + id.getRun() + " key=" + id.getKey()
        + " step=" + id.getStep() + " index=" + id.getIndex();
  }
}
