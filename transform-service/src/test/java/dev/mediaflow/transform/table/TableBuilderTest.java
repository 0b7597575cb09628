package dev.mediaflow.transform.table;

import dev.mediaflow.transform.EncodedMedia;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.mediaflow.transform.MediaRejectedException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TableBuilderTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  static String text(EncodedMedia table) {
    return new String(table.data(), StandardCharsets.UTF_8);
  }

  /** n rows of one cell each. */
  static JsonNode rows(int n) {
    ArrayNode rows = JSON.createArrayNode();
    for (int i = 0; i < n; i++) {
      rows.addArray().add(i);
    }
    return rows;
  }

  // ----------------------------------------------------------------------------- output form

  @Test
  void shouldWriteTheWandbTableJson() {
    // Given
    JsonNode rows = json("[[1, \"cat\", true], [2.5, null, false]]");

    // When
    EncodedMedia table = TableBuilder.build(List.of("id", "label", "ok"), rows);

    // Then
    assertThat(text(table)).isEqualTo("{\"_type\":\"table\",\"columns\":[\"id\",\"label\",\"ok\"],"
        + "\"data\":[[1,\"cat\",true],[2.5,null,false]],\"ncols\":3,\"nrows\":2}");
    assertThat(table.extension()).isEqualTo("table.json");
    assertThat(table.contentType()).isEqualTo("application/json");
    assertThat(table.metadata()).containsExactly(entry("columns", List.of("id", "label", "ok")), entry("ncols", 3),
        entry("nrows", 2));
    assertThat(table.warnings()).isEmpty();
  }

  @Test
  void shouldDefaultToInputOutputExpectedColumns() {
    // Given
    JsonNode rows = json("[[\"2+2\", \"4\", \"4\"]]");

    // When
    EncodedMedia table = TableBuilder.build(null, rows);

    // Then
    assertThat(json(text(table)).get("columns").toString()).isEqualTo("[\"Input\",\"Output\",\"Expected\"]");
    assertThat(table.metadata()).containsEntry("columns", List.of("Input", "Output", "Expected"));
  }

  @Test
  void shouldKeepMediaReferencesAsTheyAre() {
    // Given: the ingest's references to nested media items
    JsonNode rows = json("[[1, {\"_ref\": \"p/r/preds.cells/1/1\", \"_type\": \"image\"}], [2, null],"
        + " [3, {\"_type\": \"image\", \"_ref\": \"p/r/preds.cells/1/5\"}]]");

    // When
    EncodedMedia table = TableBuilder.build(List.of("n", "img"), rows);

    // Then
    assertThat(json(text(table)).get("data")).isEqualTo(rows);
  }

  @Test
  void shouldAcceptAnEmptyTable() {
    // When
    EncodedMedia table = TableBuilder.build(List.of("a"), json("[]"));

    // Then
    assertThat(text(table)).isEqualTo("{\"_type\":\"table\",\"columns\":[\"a\"],\"data\":[],\"ncols\":1,\"nrows\":0}");
  }

  @Test
  void shouldBuildFromRowsInJsonText() {
    // Given: the ingest's rows_json
    String rowsJson = "[[1,{\"_ref\":\"p/r/preds.cells/1/1\",\"_type\":\"image\"}],[2,null]]";

    // When
    EncodedMedia table = TableBuilder.fromJson(List.of("n", "img"), rowsJson, 10);

    // Then
    assertThat(text(table)).isEqualTo("{\"_type\":\"table\",\"columns\":[\"n\",\"img\"],\"data\":" + rowsJson
        + ",\"ncols\":2,\"nrows\":2}");
  }

  @Test
  void shouldRejectRowsThatAreNotValidJson() {
    // When / Then
    assertThatThrownBy(() -> TableBuilder.fromJson(List.of("n"), "[[1]", 10))
        .isInstanceOf(TableRejectedException.class)
        .hasMessageStartingWith("table rows are not valid JSON: ");
  }

  // ----------------------------------------------------------------------------- limits

  @Test
  void shouldAcceptExactlyTheDefaultLimitOf10000Rows() {
    // When
    EncodedMedia table = TableBuilder.build(List.of("n"), rows(10_000));

    // Then
    assertThat(table.metadata()).containsEntry("nrows", 10_000);
  }

  @Test
  void shouldRejectMoreRowsThanTheDefaultLimit() {
    // When / Then
    assertThatThrownBy(() -> TableBuilder.build(List.of("n"), rows(10_001)))
        .isInstanceOf(TableRejectedException.class)
        .isInstanceOf(MediaRejectedException.class)
        .hasMessage("table has 10001 rows, above the limit of 10000 (raise mediaflow.transform.table.max.rows)");
  }

  @Test
  void shouldApplyARaisedOrLoweredLimit() {
    // When
    EncodedMedia raised = TableBuilder.build(List.of("n"), rows(12_000), 20_000);

    // Then
    assertThat(raised.metadata()).containsEntry("nrows", 12_000);
    assertThatThrownBy(() -> TableBuilder.build(List.of("n"), rows(4), 3))
        .hasMessage("table has 4 rows, above the limit of 3 (raise mediaflow.transform.table.max.rows)");
  }

  @Test
  void shouldRefuseALimitBelowOneAsAConfigurationError() {
    // When / Then
    assertThatThrownBy(() -> TableBuilder.build(List.of("n"), rows(1), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ----------------------------------------------------------------------------- rows

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\": 1}", "\"rows\"", "3", "null"})
  void shouldRejectRowsThatAreNotAList(String rows) {
    // When / Then
    assertThatThrownBy(() -> TableBuilder.build(List.of("a"), json(rows)))
        .isInstanceOf(TableRejectedException.class)
        .hasMessage("table rows must be a JSON array of rows");
  }

  @Test
  void shouldRejectMissingRows() {
    // When / Then
    assertThatThrownBy(() -> TableBuilder.build(List.of("a"), null))
        .isInstanceOf(TableRejectedException.class)
        .hasMessage("table rows must be a JSON array of rows");
  }

  @Test
  void shouldRejectARowThatIsNotAList() {
    // When / Then
    assertThatThrownBy(() -> TableBuilder.build(List.of("a"), json("[[1], 2]")))
        .isInstanceOf(TableRejectedException.class)
        .hasMessage("table row 1 is not a list of cells");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "[[1, 2], [3]]|table row 1 has 1 cells but the table expects 2 columns: [a, b]",
      "[[1, 2, 3]]|table row 0 has 3 cells but the table expects 2 columns: [a, b]",
      "[[1, 2], [3, 4], []]|table row 2 has 0 cells but the table expects 2 columns: [a, b]"})
  void shouldRejectARowWithTheWrongNumberOfCells(String rows, String reason) {
    // When / Then
    assertThatThrownBy(() -> TableBuilder.build(List.of("a", "b"), json(rows)))
        .isInstanceOf(TableRejectedException.class)
        .hasMessage(reason);
  }

  // ----------------------------------------------------------------------------- cells

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "[1, [1, 2]]|table row 0, column 1 ('b'): unsupported cell (a list of 2)",
      "[1, {\"x\": 1}]|table row 0, column 1 ('b'): unsupported cell (an object with keys [x])",
      "[1, {\"_ref\": \"k\"}]|table row 0, column 1 ('b'): unsupported cell (an object with keys [_ref])",
      "[1, {\"_ref\": \"k\", \"_type\": \"image\", \"caption\": \"c\"}]|table row 0, column 1 ('b'): unsupported cell (an object with keys [_ref, _type, caption])",
      "[1, {\"_ref\": \"\", \"_type\": \"image\"}]|table row 0, column 1 ('b'): unsupported cell (an object with keys [_ref, _type])",
      "[1, {\"_ref\": \"k\", \"_type\": 3}]|table row 0, column 1 ('b'): unsupported cell (an object with keys [_ref, _type])",
      "[{\"_type\": \"image\", \"path\": \"x.png\"}, 1]|table row 0, column 0 ('a'): unsupported cell (an object with keys [_type, path])"})
  void shouldRejectCellsThatAreNotScalarsOrMediaReferences(String row, String reason) {
    // Given
    JsonNode rows = json("[" + row + "]");

    // When / Then
    assertThatThrownBy(() -> TableBuilder.build(List.of("a", "b"), rows))
        .isInstanceOf(TableRejectedException.class)
        .hasMessageStartingWith(reason);
  }

  @Test
  void shouldNameTheRowAndColumnOfABadCellFurtherDown() {
    // Given
    JsonNode rows = json("[[1, \"a\", null], [2, \"b\", null], [3, \"c\", [0]]]");

    // When / Then
    assertThatThrownBy(() -> TableBuilder.build(null, rows))
        .hasMessage("table row 2, column 2 ('Expected'): unsupported cell (a list of 1) (cells are strings, "
            + "numbers, booleans, null or media references {\"_ref\", \"_type\"})");
  }

  @Test
  void shouldAllowNullInAnyColumn() {
    // Given
    JsonNode rows = json("[[null, 1, \"x\"], [true, null, null], [null, 2, \"y\"]]");

    // When
    EncodedMedia table = TableBuilder.build(null, rows);

    // Then
    assertThat(table.metadata()).containsEntry("nrows", 3);
  }

  @Test
  void shouldTreatIntegersAndFloatsAsOneNumberType() {
    // When
    EncodedMedia table = TableBuilder.build(List.of("x"), json("[[1], [2.5], [-3e10]]"));

    // Then
    assertThat(table.metadata()).containsEntry("nrows", 3);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "[[1], [\"1\"]]|table column 0 ('x') mixes number (row 0) and string (row 1); wandb.Table rejects mixed column types",
      "[[null], [true], [0]]|table column 0 ('x') mixes boolean (row 1) and number (row 2); wandb.Table rejects mixed column types",
      "[[{\"_ref\": \"k1\", \"_type\": \"image\"}], [{\"_ref\": \"k2\", \"_type\": \"audio\"}]]|table column 0 ('x') mixes 'image' media (row 0) and 'audio' media (row 1); wandb.Table rejects mixed column types",
      "[[\"a\"], [{\"_ref\": \"k2\", \"_type\": \"audio\"}]]|table column 0 ('x') mixes string (row 0) and 'audio' media (row 1); wandb.Table rejects mixed column types"})
  void shouldRejectAColumnThatMixesKindsOfValues(String rows, String reason) {
    // When / Then
    assertThatThrownBy(() -> TableBuilder.build(List.of("x"), json(rows)))
        .isInstanceOf(TableRejectedException.class)
        .hasMessage(reason);
  }

  // ----------------------------------------------------------------------------- columns

  @Test
  void shouldRejectANullColumnName() {
    // When / Then
    assertThatThrownBy(() -> TableBuilder.build(Arrays.asList("a", null), json("[[1, 2]]")))
        .isInstanceOf(TableRejectedException.class)
        .hasMessage("table column names must not be null: [a, null]");
  }

  @Test
  void shouldWarnAboutDuplicateColumnNames() {
    // When
    EncodedMedia table = TableBuilder.build(List.of("a", "a"), json("[[1, 2]]"));

    // Then
    assertThat(table.warnings()).containsExactly("duplicate column name 'a' (a UI keyed by name shows one of them)");
  }
}
