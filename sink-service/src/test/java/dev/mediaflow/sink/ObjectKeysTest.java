package dev.mediaflow.sink;

import static dev.mediaflow.sink.TestEvents.identity;
import static dev.mediaflow.sink.TestEvents.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.schemas.avro.MediaIdentity;
import dev.mediaflow.schemas.avro.ProcessedMedia;
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
      "my run", "日本語", "😀", "100%", "%2E%2E", "a\\b", "x?y#z&w=1", "\u0000", "tab\tnew\nline",
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
    "-1, -00000000001"
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

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "../etc      | %2E%2E%2Fetc",
    "a/b         | a%2Fb",
    "''          | %5F",
    ".           | %2E",
    "..          | %2E%2E",
    ".hidden     | %2Ehidden",
    "v1.2        | v1.2",
    "a..b        | a.%2Eb",
    "my run      | my%20run",
    "日本         | %E6%97%A5%E6%9C%AC",
    "😀          | %F0%9F%98%80",
    "100%        | 100%25",
    "a\\b        | a%5Cb",
    "x?y#z       | x%3Fy%23z",
    "~_-AZaz09   | ~_-AZaz09"
  })
  void shouldPercentEncodeUserChosenNames(String name, String expected) {
    // When
    String encoded = ObjectKeys.encodeSegment(name);

    // Then
    assertThat(encoded).isEqualTo(expected);
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
        Arguments.of(identity("p", "r", "k", 1, 0), "thumbnail", name)));
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
  void shouldRejectKeyLongerThanS3Allows() {
    // Given a project name of 400 three-byte characters: 3,600 bytes once percent-encoded
    MediaIdentity id = identity("日".repeat(400), "r", "k", 1, 0);

    // When / Then
    assertThatThrownBy(() -> keys.key(id, null, "png"))
        .isInstanceOf(UnstorableItemException.class)
        .hasMessageContaining("1024");
  }

  @Test
  void shouldRejectKeyWithASegmentLongerThanAFileNameMayBe() {
    // Given a 256-character run name: a key of 300 bytes, but a path segment no filesystem-backed store can name
    MediaIdentity id = identity("p", "r".repeat(256), "k", 1, 0);

    // When / Then
    assertThatThrownBy(() -> keys.key(id, null, "png"))
        .isInstanceOf(UnstorableItemException.class)
        .hasMessageContaining("segment longer than 255 bytes")
        .hasMessageContaining("key=k");
    assertThat(keys.key(identity("p", "r".repeat(255), "k", 1, 0), null, "png")).contains("/" + "r".repeat(255) + "/");
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
