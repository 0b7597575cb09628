package dev.mediaflow.sink;

import static dev.mediaflow.sink.TestEvents.identity;
import static dev.mediaflow.sink.TestEvents.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.schemas.avro.MediaIdentity;
import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.schemas.identity.ItemIdentity;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectKeysTest {

  private static final List<String> HOSTILE_NAMES = List.of(
      "../etc", "..", ".", "", "a/b", "/leading", "trailing/", "//", ".hidden", "a..b", "...",
      "my run", "日本語", "😀", "100%", "%2E%2E", "a\\b", "x?y#z&w=1", "x+y", "x%20y", "\u00a0nbsp", "\u0001",
      "tab\tnew\nline",
      "C:\\Windows", "~user", "-_~");

  private final ObjectKeys keys = new ObjectKeys();

  @Test
  void shouldLayOutMainObjectKeyWithZeroPaddedStep() {
    // Given
    MediaIdentity id = identity("vision", "run-1", "examples", 42, 3);

    // When
    String key = keys.key(id, "image", object("image", "png", "image/png", "x"));

    // Then
    assertThat(key).isEqualTo("media/vision/run-1/examples/000000000042/3.png");
  }

  @Test
  void shouldNameOtherRolesByIndexAndRole() {
    // Given
    MediaIdentity id = identity("vision", "run-1", "examples", 42, 3);

    // When
    String key = keys.key(id, "image", object("thumbnail", "jpg", "image/jpeg", "x"));

    // Then
    assertThat(key).isEqualTo("media/vision/run-1/examples/000000000042/3-thumbnail.jpg");
  }

  @Test
  void shouldTreatRoleMainAsMainObjectOfAnyMediaType() {
    // Given
    MediaIdentity id = identity("p", "r", "clouds", 7, 0);

    // When
    String main = keys.key(id, "object3d", object("main", "glb", "model/gltf-binary", "x"));
    String typed = keys.key(id, "object3d", object("object3d", "ply", "application/octet-stream", "x"));
    String archive = keys.key(id, "object3d", object("archive", "pts.json", "application/json", "x"));

    // Then
    assertThat(main).isEqualTo("media/p/r/clouds/000000000007/0.glb");
    assertThat(typed).isEqualTo("media/p/r/clouds/000000000007/0.ply");
    assertThat(archive).isEqualTo("media/p/r/clouds/000000000007/0-archive.pts.json");
  }

  @ParameterizedTest
  @CsvSource({
    "0, 000000000000",
    "999999999999, 999999999999",
    "1234567890123, 1234567890123",
    "-2, -00000000002"
  })
  void shouldZeroPadStepToTwelveDigits(long step, String expected) {
    // Given
    MediaIdentity id = identity("p", "r", "k", step, 0);

    // When
    String key = keys.key(id, null, "png");

    // Then
    assertThat(key).isEqualTo("media/p/r/k/" + expected + "/0.png");
  }

  @Test
  void shouldWriteSummarySegmentInPlaceOfTheStepOfASummaryItem() {
    // Given a run's summary item (stored with the reserved step) and logged steps around it
    MediaIdentity summary = identity("p", "r", "k", ItemIdentity.SUMMARY_STEP, 0);

    // When
    String key = keys.key(summary, null, "png");

    // Then the segment is "summary", which no logged step prints as
    assertThat(key).isEqualTo("media/p/r/k/summary/0.png");
    assertThat(keys.key(identity("p", "r", "k", 0, 0), null, "png")).isNotEqualTo(key);
    assertThat(ObjectKeys.stepSegment(-2)).isEqualTo("-00000000002");
    assertThat(ObjectKeys.stepSegment(Long.MAX_VALUE)).matches("[0-9]+");
  }

  @Test
  void shouldUseConfiguredPrefixWithoutSurroundingSlashes() {
    // Given
    MediaIdentity id = identity("p", "r", "k", 1, 0);

    // When
    String nested = new ObjectKeys("/env/media/").key(id, null, "png");
    String none = new ObjectKeys("").key(id, null, "png");

    // Then
    assertThat(nested).isEqualTo("env/media/p/r/k/000000000001/0.png");
    assertThat(none).isEqualTo("p/r/k/000000000001/0.png");
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", "a/../b", "a//b", "me dia", ".hidden", "a..b", "ü", "a/./b"})
  void shouldRejectUnsafePrefix(String prefix) {
    // When / Then
    assertThatThrownBy(() -> new ObjectKeys(prefix))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prefix");
  }

  @Test
  void shouldEncodeEveryNameWithTheIdentityCodec() {
    // Given
    MediaIdentity id = identity("my project", "x+y", "a/../b", 1, 0);

    // When
    String key = keys.key(id, "mask-a.b", "png");

    // Then
    assertThat(key).isEqualTo("media/" + ItemIdentity.encodeSegment("my project") + "/"
        + ItemIdentity.encodeSegment("x+y") + "/" + ItemIdentity.encodeSegment("a/../b") + "/000000000001/0-"
        + ItemIdentity.encodeNamePart("mask-a.b") + ".png");
    assertThat(key).isEqualTo("media/my%20project/x%2By/a%2F.%2E%2Fb/000000000001/0-mask-a%2Eb.png");
  }

  @ParameterizedTest
  @MethodSource("hostileIdentities")
  void shouldKeepEveryKeySafeWhateverTheNames(MediaIdentity id, String role, String extension) {
    // When
    String key = keys.key(id, role, extension);

    // Then
    assertThat(key).doesNotStartWith("/").doesNotContain("..").doesNotContain("//").doesNotEndWith("/");
    String[] segments = key.split("/", -1);
    assertThat(segments).hasSize(6);
    assertThat(segments).allSatisfy(segment -> assertThat(segment).matches("[A-Za-z0-9._~%-]+"));
    assertThat(segments).noneMatch(segment -> segment.equals(".") || segment.startsWith("."));
  }

  static Stream<Arguments> hostileIdentities() {
    return HOSTILE_NAMES.stream().flatMap(name -> Stream.of(
        Arguments.of(identity(name, "r", "k", 1, 0), null, "png"),
        Arguments.of(identity("p", name, "k", 1, 0), null, "png"),
        Arguments.of(identity("p", "r", name, 1, 0), null, "png"),
        Arguments.of(identity("p", "r", "k", 1, 0), name, "png"),
        Arguments.of(identity("p", "r", "k", 1, 0), "thumbnail",
            // extensions come from the transform's lists of file types: short by construction
            ItemIdentity.encodedLength(name) <= ItemIdentity.MAX_EXTENSION_BYTES ? name : "x")));
  }

  @Test
  void shouldGiveDistinctIdentitiesDistinctKeys() {
    // Given names that a careless encoder maps to the same key
    List<String> keysOfConflatableItems = List.of(
        keys.key(identity("a/b", "c", "k", 1, 0), null, "png"),
        keys.key(identity("a", "b/c", "k", 1, 0), null, "png"),
        keys.key(identity("", "r", "k", 1, 0), null, "png"),
        keys.key(identity("_", "r", "k", 1, 0), null, "png"),
        keys.key(identity("%5F", "r", "k", 1, 0), null, "png"),
        keys.key(identity("x+y", "r", "k", 1, 0), null, "png"),
        keys.key(identity("x y", "r", "k", 1, 0), null, "png"),
        keys.key(identity("x%20y", "r", "k", 1, 0), null, "png"),
        keys.key(identity(".", "r", "k", 1, 0), null, "png"),
        keys.key(identity("%2E", "r", "k", 1, 0), null, "png"),
        keys.key(identity("p", "r", "k", 1, 0), "a.b", "c"),
        keys.key(identity("p", "r", "k", 1, 0), "a", "b.c"),
        keys.key(identity("p", "r", "k", 1, 0), null, "b.c"),
        keys.key(identity("p", "r", "k", 1, -1), null, "png"),
        keys.key(identity("p", "r", "k", 1, 0), "1", "png"));

    // Then
    assertThat(keysOfConflatableItems).doesNotHaveDuplicates();
  }

  @Test
  void shouldOmitTheDotWhenExtensionIsEmpty() {
    // When
    String key = keys.key(identity("p", "r", "k", 1, 2), null, "");

    // Then
    assertThat(key).isEqualTo("media/p/r/k/000000000001/2");
  }

  @Test
  void shouldRejectNameAboveItsLimitNamingTheIdentity() {
    // Given a project name of 400 three-byte characters: 3,600 bytes once percent-encoded
    MediaIdentity id = identity("日".repeat(400), "r", "k", 1, 0);

    // When / Then
    assertThatThrownBy(() -> keys.key(id, null, "png"))
        .isInstanceOf(UnstorableItemException.class)
        .hasMessageContaining("3600 bytes percent-encoded, above the limit of " + ItemIdentity.MAX_PROJECT_BYTES)
        .hasMessageContaining("run=r key=k step=1 index=0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"lone\ud800", "\udc00", "a\ud83d"})
  void shouldRejectKeyThatIsNotValidUnicode(String name) {
    // Given
    MediaIdentity id = identity("p", "r", name, 1, 0);

    // When / Then
    assertThatThrownBy(() -> keys.key(id, null, "png"))
        .isInstanceOf(UnstorableItemException.class)
        .hasMessageContaining("is not valid Unicode: unpaired surrogate")
        .hasMessageContaining("project=p run=r");
  }

  @Test
  void shouldRejectNulThatPostgresCannotStore() {
    // Given
    MediaIdentity id = identity("p", "r", "a\u0000b", 1, 0);

    // When / Then
    assertThatThrownBy(() -> keys.key(id, null, "png"))
        .isInstanceOf(UnstorableItemException.class)
        .hasMessageContaining("holds U+0000");
  }

  @Test
  void shouldFitTheLongestPossibleKeyIntoS3AndFilesystemStores() {
    // Given every name at its limit: a 128-byte prefix, a derived key of 255 bytes, the longest
    // step, index, role and extension
    ObjectKeys longPrefix = new ObjectKeys("p".repeat(ItemIdentity.MAX_PREFIX_BYTES));
    MediaIdentity id = identity("a".repeat(ItemIdentity.MAX_PROJECT_BYTES), "b".repeat(ItemIdentity.MAX_RUN_BYTES),
        "k".repeat(ItemIdentity.MAX_KEY_BYTES) + ItemIdentity.TABLE_CELLS_SUFFIX, Long.MIN_VALUE, Integer.MIN_VALUE);

    // When
    String key = longPrefix.key(id, "r".repeat(ItemIdentity.MAX_ROLE_BYTES), "e".repeat(ItemIdentity.MAX_EXTENSION_BYTES));

    // Then
    assertThat(key.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(ItemIdentity.STORE_MAX_KEY_BYTES);
    assertThat(key.split("/")).allSatisfy(segment ->
        assertThat(segment.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(ItemIdentity.STORE_MAX_SEGMENT_BYTES));
    assertThat(key.split("/")[5]).hasSize(ItemIdentity.MAX_FILE_NAME_BYTES);
    System.out.println("[figures] longest object key " + key.length() + " bytes (limit "
        + ItemIdentity.STORE_MAX_KEY_BYTES + "), longest file name " + key.split("/")[5].length() + " bytes (limit "
        + ItemIdentity.MAX_FILE_NAME_BYTES + ")");
  }

  @Test
  void shouldRejectPrefixLongerThanItsLimit() {
    // When / Then
    assertThatThrownBy(() -> new ObjectKeys("p".repeat(ItemIdentity.MAX_PREFIX_BYTES + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prefix longer than " + ItemIdentity.MAX_PREFIX_BYTES);
  }

  @Test
  void shouldMapEveryRoleOfAnEventToItsKey() {
    // Given
    ProcessedMedia event = TestEvents.image(identity("p", "r", "k", 5, 1));

    // When
    Map<String, String> roleToKey = keys.keysFor(event);

    // Then
    assertThat(roleToKey).containsExactly(
        Map.entry("image", "media/p/r/k/000000000005/1.png"),
        Map.entry("thumbnail", "media/p/r/k/000000000005/1-thumbnail.jpg"));
  }

  @Test
  void shouldRejectEventWithTwoObjectsOfTheSameRole() {
    // Given
    ProcessedMedia event = TestEvents.image(identity());
    event.setObjects(List.of(
        object("thumbnail", "png", "image/png", "a"), object("thumbnail", "jpg", "image/jpeg", "b")));

    // When / Then
    assertThatThrownBy(() -> keys.keysFor(event))
        .isInstanceOf(UnstorableItemException.class)
        .hasMessageContaining("duplicate object role 'thumbnail'")
        .hasMessageContaining("project=vision");
  }

  @Test
  void shouldRejectEventWithTwoMainObjects() {
    // Given
    ProcessedMedia event = TestEvents.image(identity());
    event.setObjects(List.of(object("image", "png", "image/png", "a"), object("main", "png", "image/png", "b")));

    // When / Then
    assertThatThrownBy(() -> keys.keysFor(event))
        .isInstanceOf(UnstorableItemException.class)
        .hasMessageContaining("more than one main object");
  }
}
