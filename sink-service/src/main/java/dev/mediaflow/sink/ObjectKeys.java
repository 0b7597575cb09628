package dev.mediaflow.sink;

import dev.mediaflow.schemas.avro.MediaIdentity;
import dev.mediaflow.schemas.avro.MediaObject;
import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.schemas.identity.ItemIdentity;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Derives deterministic, safe S3 object keys from an item's identity and one of its objects.
 *
 * <p>Layout: {@code {prefix}/{project}/{run}/{key}/{step}/{name}} where {@code step} is
 * zero-padded to 12 digits (so keys sort by step), or {@code summary} for a run's summary
 * item ({@link ItemIdentity#SUMMARY_STEP}), and {@code name} is
 * {@code {index}.{extension}} for the main object and {@code {index}-{role}.{extension}} for
 * every other role. The main object is the one whose role is {@value #MAIN_ROLE} or equals the
 * event's media type (an image's main object has role {@code image}).
 *
 * <p>Safety: every name is encoded by the one identity codec, {@link ItemIdentity} (the same
 * encoding as the record keys): percent-encoded UTF-8 except unreserved characters, a {@code .}
 * encoded when it starts a segment or follows another, the empty name as
 * {@value ItemIdentity#EMPTY_SEGMENT}. So a key never starts with {@code /}, never contains
 * {@code //} or {@code ..}, no user name can add a path level, and distinct identities never
 * share a key. Names, roles, extensions and the prefix are held to {@link ItemIdentity}'s
 * limits, so every key fits S3 (1,024 bytes) and filesystem stores (255 bytes per segment).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ObjectKeys {

  /** Prefix used when none is configured. */
  public static final String DEFAULT_PREFIX = "media";
  /** Role that marks the main object whatever the media type. */
  public static final String MAIN_ROLE = "main";

  private static final Pattern SAFE_PREFIX_SEGMENT = Pattern.compile("[A-Za-z0-9_~-][A-Za-z0-9._~-]*");

  private final String prefix;

  /** Keys under {@value #DEFAULT_PREFIX}. */
  public ObjectKeys() {
    this(DEFAULT_PREFIX);
  }

  /**
   * @param prefix operator-chosen key prefix, e.g. {@code media} or {@code env/media}; may be
   *     empty; surrounding slashes are ignored
   * @throws IllegalArgumentException if a prefix segment is not plain URL-safe text, or is
   *     {@code .}/{@code ..}, or the prefix is longer than {@value ItemIdentity#MAX_PREFIX_BYTES}
   *     bytes
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
   *     main object, or a name breaks {@link ItemIdentity}'s rules; the event can never be
   *     stored as is
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
   * @throws UnstorableItemException if a name, the role or the extension breaks
   *     {@link ItemIdentity}'s rules
   */
  public String key(MediaIdentity identity, String mediaType, MediaObject object) {
    return key(identity, isMain(object.getRole(), mediaType) ? null : object.getRole(), object.getExtension());
  }

  /**
   * The step zero-padded to 12 digits, or {@value ItemIdentity#SUMMARY_STEP_SEGMENT} for a run's
   * summary item ({@link ItemIdentity#SUMMARY_STEP}): digits never spell it, so keys stay distinct.
   */
  static String stepSegment(long step) {
    return step == ItemIdentity.SUMMARY_STEP ? ItemIdentity.SUMMARY_STEP_SEGMENT
        : String.format(Locale.ROOT, "%012d", step);
  }

  /**
   * The key of one object of an item.
   *
   * @param role the object's role, or {@code null} for the main object
   * @param extension file extension without the dot; empty for none
   * @throws UnstorableItemException if a name, the role or the extension breaks
   *     {@link ItemIdentity}'s rules (the message names the identity)
   */
  public String key(MediaIdentity identity, String role, String extension) {
    checkNames(identity, role, extension);
    StringBuilder key = new StringBuilder(128);
    if (!prefix.isEmpty()) {
      key.append(prefix).append('/');
    }
    ItemIdentity.appendSegment(key, identity.getProject(), false).append('/');
    ItemIdentity.appendSegment(key, identity.getRun(), false).append('/');
    ItemIdentity.appendSegment(key, identity.getKey(), false).append('/');
    key.append(stepSegment(identity.getStep())).append('/');
    key.append(identity.getIndex());
    if (role != null) {
      // a role never keeps a literal '.', so the first '.' of the name starts the extension
      ItemIdentity.appendSegment(key.append('-'), role, true);
    }
    if (!extension.isEmpty()) {
      ItemIdentity.appendSegment(key.append('.'), extension, false);
    }
    String result = key.toString();
    if (result.getBytes(StandardCharsets.UTF_8).length > ItemIdentity.STORE_MAX_KEY_BYTES) {
      // unreachable while the limits of ItemIdentity hold; kept as the store's own rule
      throw new UnstorableItemException("object key longer than " + ItemIdentity.STORE_MAX_KEY_BYTES
          + " bytes for " + describe(identity));
    }
    return result;
  }

  private static void checkNames(MediaIdentity identity, String role, String extension) {
    Optional<String> problem = ItemIdentity.validateStored(identity)
        .or(() -> role == null ? Optional.empty()
            : ItemIdentity.validateRole("object role", role))
        .or(() -> ItemIdentity.storeProblem("file extension", extension, ItemIdentity.MAX_EXTENSION_BYTES));
    if (problem.isPresent()) {
      throw new UnstorableItemException(problem.get() + "; " + describe(identity));
    }
  }

  /** Whether an object with this role is the main object of an item of this media type. */
  public static boolean isMain(String role, String mediaType) {
    return MAIN_ROLE.equals(role) || role.equals(mediaType);
  }

  private static String normalizePrefix(String prefix) {
    String trimmed = prefix.replaceAll("^/+|/+$", "");
    if (trimmed.isEmpty()) {
      return "";
    }
    if (trimmed.getBytes(StandardCharsets.UTF_8).length > ItemIdentity.MAX_PREFIX_BYTES) {
      throw new IllegalArgumentException("object key prefix longer than " + ItemIdentity.MAX_PREFIX_BYTES
          + " bytes: '" + prefix + "'");
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
