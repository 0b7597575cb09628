package dev.mediaflow.schemas.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.schemas.avro.MediaIdentity;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ItemIdentityTest {

  /** Names that a careless codec maps to one another. */
  private static final List<String> TRICKY_NAMES = List.of(
      "x+y", "x y", "x%20y", "x%2By", "x%2520y", ".", "..", "...", "", "_", "%5F", "%", "%%", "%2E", "/", "a/b",
      "a%2Fb", ".hidden", "a..b", "a.b", "~", "%7E", "*", "日本", "%E6%97%A5", "😀", "é", "e\u0301", "\u00a0",
      "a?", "a\\b", "A", "a");

  @Test
  void shouldEncodeDistinctNamesDistinctlyAndDecodeThemBack() {
    // When
    List<String> encoded = TRICKY_NAMES.stream().map(ItemIdentity::encodeSegment).toList();

    // Then
    assertThat(encoded).doesNotHaveDuplicates();
    assertThat(encoded).allSatisfy(segment -> assertThat(segment).matches("[A-Za-z0-9._~%-]+")
        .isNotIn(".", "..").doesNotStartWith("."));
    assertThat(encoded.stream().map(ItemIdentity::decodeSegment).toList()).isEqualTo(TRICKY_NAMES);
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
    "x+y         | x%2By",
    "x%20y       | x%2520y",
    "日本         | %E6%97%A5%E6%9C%AC",
    "😀          | %F0%9F%98%80",
    "100%        | 100%25",
    "a\\b        | a%5Cb",
    "x?y#z       | x%3Fy%23z",
    "*           | %2A",
    "~_-AZaz09   | ~_-AZaz09"
  })
  void shouldPercentEncodeEverythingButUnreservedCharacters(String name, String expected) {
    // When
    String encoded = ItemIdentity.encodeSegment(name);

    // Then
    assertThat(encoded).isEqualTo(expected);
    assertThat(ItemIdentity.encodedLength(name)).isEqualTo(expected.length());
  }

  @Test
  void shouldGiveDistinctRecordKeysToRunsThatFormDecodingConflates() {
    // When
    String plus = ItemIdentity.recordKey("p", "x+y", "k", 1, 0);
    String space = ItemIdentity.recordKey("p", "x y", "k", 1, 0);
    String escaped = ItemIdentity.recordKey("p", "x%20y", "k", 1, 0);

    // Then
    assertThat(List.of(plus, space, escaped)).containsExactly("p/x%2By/k/1/0", "p/x%20y/k/1/0", "p/x%2520y/k/1/0");
    assertThat(ItemIdentity.recordKey(new MediaIdentity("p", "x+y", "k", 1L, 0))).isEqualTo(plus);
    assertThat(plus).startsWith(ItemIdentity.runPrefix("p", "x+y"));
  }

  @Test
  void shouldKeepLoneSurrogatesDistinctInsteadOfReplacingThem() {
    // When
    List<String> encoded = List.of("a\ud800", "a\ud801", "a\udc00", "a?").stream()
        .map(ItemIdentity::encodeSegment).toList();

    // Then
    assertThat(encoded).doesNotHaveDuplicates().containsExactly("a%ED%A0%80", "a%ED%A0%81", "a%ED%B0%80", "a%3F");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\ud800", "\udc00b", "a\ud83d", "\ud800\ud800"})
  void shouldRefuseKeyThatIsNotValidUnicode(String key) {
    // When / Then
    assertThat(ItemIdentity.validateKey(key)).hasValueSatisfying(reason ->
        assertThat(reason).startsWith("key ").contains("not valid Unicode: unpaired surrogate U+D"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u0000", "a\u0001", "tab\t", "new\nline", "cr\r", "\u001f", "del\u007f", "c1\u0080",
      "nel\u0085", "\u009f"})
  void shouldRefuseRunWithControlCharacter(String run) {
    // When / Then
    assertThat(ItemIdentity.validateRun(run)).hasValueSatisfying(reason ->
        assertThat(reason).startsWith("run \"").contains("holds control character U+00"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"x+y", "x y", "x%20y", ".", "..", "%", "/", "日本語", "😀", "\u00a0", "e\u0301", "a.cellsx"})
  void shouldAcceptPrintableUnicodeNames(String name) {
    // When / Then
    assertThat(ItemIdentity.validateProject(name)).isEmpty();
    assertThat(ItemIdentity.validateRun(name)).isEmpty();
    assertThat(ItemIdentity.validateKey(name)).isEmpty();
  }

  @Test
  void shouldRefuseEmptyProjectAndRunButNotEmptyKey() {
    // When / Then
    assertThat(ItemIdentity.validateProject("")).contains("project must not be empty");
    assertThat(ItemIdentity.validateRun("")).contains("run must not be empty");
    assertThat(ItemIdentity.validateKey("")).isEmpty();
  }

  @Test
  void shouldBoundKeysAtTheLimitInEncodedBytes() {
    // Given names of exactly the limit and one byte more, in ASCII and in two-byte UTF-8 (é: 6 encoded bytes)
    int limit = ItemIdentity.MAX_KEY_BYTES;
    String ascii = "k".repeat(limit);
    String accented = "é".repeat(limit / 6) + "k".repeat(limit % 6);

    // When / Then
    assertThat(ItemIdentity.validateKey(ascii)).isEmpty();
    assertThat(ItemIdentity.validateKey(ascii + "k")).hasValueSatisfying(reason ->
        assertThat(reason).contains((limit + 1) + " bytes percent-encoded, above the limit of " + limit));
    assertThat(ItemIdentity.encodedLength(accented)).isEqualTo(limit);
    assertThat(ItemIdentity.validateKey(accented)).isEmpty();
    assertThat(ItemIdentity.validateKey(accented + "k")).isPresent();
    assertThat(ItemIdentity.validateKey("é" + accented)).isPresent();
  }

  @Test
  void shouldBoundProjectAndRunAtTheirLimitIncludingFourByteCharacters() {
    // Given a name of emoji (12 encoded bytes each) filled up to the limit with ASCII
    int limit = ItemIdentity.MAX_PROJECT_BYTES;
    String atLimit = "😀".repeat(limit / 12) + "p".repeat(limit % 12);

    // When / Then
    assertThat(ItemIdentity.encodedLength(atLimit)).isEqualTo(limit);
    assertThat(ItemIdentity.validateProject(atLimit)).isEmpty();
    assertThat(ItemIdentity.validateRun(atLimit)).isEmpty();
    assertThat(ItemIdentity.validateProject(atLimit + "p")).isPresent();
    assertThat(ItemIdentity.validateRun(atLimit + "p")).isPresent();
  }

  @Test
  void shouldDeriveTheLimitsFromTheTwoStoreLimits() {
    // Then the longest object key fits S3, and the longest key segment (a derived key) fits a filesystem
    int longestKey = ItemIdentity.MAX_PREFIX_BYTES + 1 + ItemIdentity.MAX_PROJECT_BYTES + 1 + ItemIdentity.MAX_RUN_BYTES
        + 1 + ItemIdentity.STORE_MAX_SEGMENT_BYTES + 1 + ItemIdentity.MAX_STEP_CHARS + 1
        + ItemIdentity.MAX_INDEX_CHARS + 1 + ItemIdentity.MAX_ROLE_BYTES + 1 + ItemIdentity.MAX_EXTENSION_BYTES;
    assertThat(longestKey).isLessThanOrEqualTo(ItemIdentity.STORE_MAX_KEY_BYTES);
    assertThat(ItemIdentity.MAX_FILE_NAME_BYTES + ItemIdentity.FILESYSTEM_TEMP_SUFFIX_BYTES)
        .isEqualTo(ItemIdentity.STORE_MAX_SEGMENT_BYTES);
    assertThat(ItemIdentity.MAX_KEY_BYTES + ItemIdentity.TABLE_CELLS_SUFFIX.length())
        .isEqualTo(ItemIdentity.STORE_MAX_SEGMENT_BYTES);
    assertThat(ItemIdentity.MAX_PROJECT_BYTES).isEqualTo(199);
    assertThat(ItemIdentity.MAX_ROLE_BYTES).isEqualTo(181);
    assertThat(ItemIdentity.MAX_KEY_BYTES).isEqualTo(249);
  }

  @Test
  void shouldReserveTheTableCellsSuffixInUserKeys() {
    // When / Then
    assertThat(ItemIdentity.tableCellsKey("t")).isEqualTo("t.cells");
    assertThat(ItemIdentity.validateKey("t.cells")).hasValueSatisfying(reason ->
        assertThat(reason).contains("reserved for the media cells of tables"));
    assertThat(ItemIdentity.validateKey(".cells")).isPresent();
    assertThat(ItemIdentity.validateKey("cells")).isEmpty();
    assertThat(ItemIdentity.validateStored(new MediaIdentity("p", "r", "t.cells", 1L, 0))).isEmpty();
  }

  @Test
  void shouldLetTheStoresTakeControlCharactersExceptNul() {
    // When / Then
    assertThat(ItemIdentity.validateStored(new MediaIdentity("p", "r", "tab\tkey", 1L, 0))).isEmpty();
    assertThat(ItemIdentity.validateStored(new MediaIdentity("p", "r", "", 1L, 0))).isEmpty();
    assertThat(ItemIdentity.validateStored(new MediaIdentity("p", "r\u0000", "k", 1L, 0))).hasValueSatisfying(reason ->
        assertThat(reason).contains("run \"r\\u0000\" holds U+0000").contains("PostgreSQL"));
  }

  @Test
  void shouldAllowDerivedKeysUpToOneFullSegmentInTheStore() {
    // Given
    String derived = ItemIdentity.tableCellsKey("k".repeat(ItemIdentity.MAX_KEY_BYTES));

    // When / Then
    assertThat(ItemIdentity.validateStored(new MediaIdentity("p", "r", derived, 1L, 0))).isEmpty();
    assertThat(ItemIdentity.validateStored(new MediaIdentity("p", "r", derived + "x", 1L, 0))).isPresent();
  }

  @Test
  void shouldShortenLongNamesInReasons() {
    // When
    String reason = ItemIdentity.validateKey("k".repeat(5000)).orElseThrow();

    // Then
    assertThat(reason).hasSizeLessThan(200).contains("5000 bytes percent-encoded").contains("…");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "x+y        | x+y",
    "x%20y      | x y",
    "x%2520y    | x%20y",
    "%C3%A9t%c3%a9 | été",
    "a%2Fb      | a/b",
    "~.-_       | ~.-_"
  })
  void shouldDecodePathSegmentsAsRfc3986(String raw, String expected) {
    // When / Then
    assertThat(ItemIdentity.decodePathSegment(raw)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "%           | malformed percent-escape at character 0",
    "ab%2        | malformed percent-escape at character 2",
    "%zz         | malformed percent-escape",
    "%ED%A0%80   | not decode to valid UTF-8",
    "%FF         | not decode to valid UTF-8",
    "%C3         | not decode to valid UTF-8"
  })
  void shouldRefuseMalformedPathSegments(String raw, String reason) {
    // When / Then
    assertThatThrownBy(() -> ItemIdentity.decodePathSegment(raw))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }
}
