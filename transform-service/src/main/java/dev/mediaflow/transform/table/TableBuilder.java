package dev.mediaflow.transform.table;

import dev.mediaflow.transform.EncodedMedia;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds the stored form of a table (media-semantics.md, "Table"; wandb
 * {@code sdk/data_types/table.py}).
 *
 * <p>What wandb.Table does, and what we match:
 * <ul>
 *   <li>{@code columns} default to {@code ["Input", "Output", "Expected"]}.</li>
 *   <li>Every row must have one cell per column ({@code add_data}: "This table expects n
 *       columns: [...], found k").</li>
 *   <li>Column types are inferred from the values ({@code allow_mixed_types=False},
 *       {@code optional=True}): null is allowed anywhere, but a column whose non-null cells
 *       mix kinds (number, string, boolean, or media of different types) raises "Data row
 *       contained incompatible types". We reject the same tables.</li>
 *   <li>Rows: wandb truncates a run's table file to {@code Table.MAX_ROWS = 10000} rows with a
 *       warning; the spec makes it an error above a limit that a setting may raise.</li>
 *   <li>Stored JSON: the artifact form of {@code Table.to_json} without {@code column_types}
 *       and {@code log_mode}: {@code {"_type": "table", "columns", "data", "ncols", "nrows"}}
 *       ({@code Table.from_json} reads {@code columns} and {@code data} and treats the other
 *       keys as optional; the run's {@code .table.json} file holds just {@code columns} and
 *       {@code data}).</li>
 * </ul>
 * Cells are strings, numbers, booleans, null, or a media reference
 * {@code {"_ref": "<item key>", "_type": "<media type>"}} (exactly these two non-empty string
 * fields; the ingest puts them in place of nested media items); anything else, nested lists
 * and dicts included, is rejected (wandb would accept those; the spec does not). Cells are
 * copied unchanged, so numbers keep their JSON form.
 *
 * <p>Stateless and thread-safe.
 */
public final class TableBuilder {

  /** wandb's default columns. */
  public static final List<String> DEFAULT_COLUMNS = List.of("Input", "Output", "Expected");

  /** wandb's {@code Table.MAX_ROWS}; {@code mediaflow.transform.table.max.rows} may raise it. */
  public static final int DEFAULT_MAX_ROWS = 10_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private TableBuilder() {}

  /** {@link #build(List, JsonNode, int)} with the default limit of 10,000 rows. */
  public static EncodedMedia build(List<String> columns, JsonNode rows) {
    return build(columns, rows, DEFAULT_MAX_ROWS);
  }

  /**
   * @param columns column names, or null for {@link #DEFAULT_COLUMNS}
   * @param rows a JSON array of rows, each an array of cells
   * @param maxRows the largest row count accepted (at least 1)
   * @return the table JSON (extension {@code table.json}); metadata {@code columns},
   *     {@code ncols}, {@code nrows}
   * @throws TableRejectedException for too many rows, a row of the wrong length, a cell that is
   *     not allowed, or a column mixing kinds of values
   * @throws IllegalArgumentException when {@code maxRows < 1} (a configuration error)
   */
  public static EncodedMedia build(List<String> columns, JsonNode rows, int maxRows) {
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows must be at least 1, got " + maxRows);
    }
    List<String> cols = columns == null ? DEFAULT_COLUMNS
        : Collections.unmodifiableList(new ArrayList<>(columns)); // may hold null: checked below
    if (rows == null || !rows.isArray()) {
      throw new TableRejectedException("table rows must be a JSON array of rows");
    }
    if (rows.size() > maxRows) {
      throw new TableRejectedException("table has " + rows.size() + " rows, above the limit of "
          + maxRows + " (raise mediaflow.transform.table.max.rows)");
    }
    List<String> warnings = new ArrayList<>();
    warnDuplicates(cols, warnings);
    String[] kinds = new String[cols.size()];
    int[] kindRows = new int[cols.size()];
    for (int r = 0; r < rows.size(); r++) {
      JsonNode row = rows.get(r);
      if (!row.isArray()) {
        throw new TableRejectedException("table row " + r + " is not a list of cells");
      }
      if (row.size() != cols.size()) {
        throw new TableRejectedException("table row " + r + " has " + row.size()
            + " cells but the table expects " + cols.size() + " columns: " + cols);
      }
      for (int c = 0; c < cols.size(); c++) {
        String kind = kind(row.get(c), r, c, cols.get(c));
        if (kind == null) {
          continue;
        }
        if (kinds[c] == null) {
          kinds[c] = kind;
          kindRows[c] = r;
        } else if (!kinds[c].equals(kind)) {
          throw new TableRejectedException("table column " + c + " ('" + cols.get(c) + "') mixes "
              + kinds[c] + " (row " + kindRows[c] + ") and " + kind + " (row " + r
              + "); wandb.Table rejects mixed column types");
        }
      }
    }
    ObjectNode table = JSON.createObjectNode();
    table.put("_type", "table");
    ArrayNode names = table.putArray("columns");
    cols.forEach(names::add);
    table.set("data", rows);
    table.put("ncols", cols.size());
    table.put("nrows", rows.size());
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsString(table).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JsonNode tree always serializes", e);
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("columns", cols);
    metadata.put("ncols", cols.size());
    metadata.put("nrows", rows.size());
    return new EncodedMedia(bytes, "table.json", "application/json", metadata, warnings);
  }

  /**
   * {@link #build(List, JsonNode, int)} for rows still in JSON text (the event's
   * {@code rows_json}).
   *
   * @throws TableRejectedException also when {@code rowsJson} is not valid JSON
   */
  public static EncodedMedia fromJson(List<String> columns, String rowsJson, int maxRows) {
    JsonNode rows;
    try {
      rows = rowsJson == null ? null : JSON.readTree(rowsJson);
    } catch (JsonProcessingException e) {
      throw new TableRejectedException("table rows are not valid JSON: " + e.getOriginalMessage(), e);
    }
    return build(columns, rows, maxRows);
  }

  /**
   * The kind of one cell, for the mixed-type check: {@code number}, {@code string},
   * {@code boolean}, {@code <type> media}, or null for a JSON null.
   */
  private static String kind(JsonNode cell, int row, int col, String column) {
    if (cell.isNull()) {
      return null;
    }
    if (cell.isNumber()) {
      return "number";
    }
    if (cell.isTextual()) {
      return "string";
    }
    if (cell.isBoolean()) {
      return "boolean";
    }
    if (cell.isObject() && isMediaReference(cell)) {
      return "'" + cell.get("_type").asText() + "' media";
    }
    throw new TableRejectedException("table row " + row + ", column " + col + " ('" + column
        + "'): unsupported cell " + describe(cell) + " (cells are strings, numbers, booleans, "
        + "null or media references {\"_ref\", \"_type\"})");
  }

  private static boolean isMediaReference(JsonNode cell) {
    if (cell.size() != 2) {
      return false;
    }
    JsonNode ref = cell.get("_ref");
    JsonNode type = cell.get("_type");
    return ref != null && ref.isTextual() && !ref.asText().isEmpty()
        && type != null && type.isTextual() && !type.asText().isEmpty();
  }

  private static String describe(JsonNode cell) {
    if (cell.isArray()) {
      return "(a list of " + cell.size() + ")";
    }
    if (cell.isObject()) {
      List<String> keys = new ArrayList<>();
      Iterator<String> it = cell.fieldNames();
      while (it.hasNext() && keys.size() < 5) {
        keys.add(it.next());
      }
      return "(an object with keys " + keys + (cell.size() > 5 ? " …" : "") + ")";
    }
    return "(" + cell.getNodeType().name().toLowerCase(Locale.ROOT) + ")";
  }

  private static void warnDuplicates(List<String> cols, List<String> warnings) {
    Set<String> seen = new HashSet<>();
    for (String c : cols) {
      if (c == null) {
        throw new TableRejectedException("table column names must not be null: " + cols);
      }
      if (!seen.add(c)) {
        warnings.add("duplicate column name '" + c + "' (a UI keyed by name shows one of them)");
      }
    }
  }
}
