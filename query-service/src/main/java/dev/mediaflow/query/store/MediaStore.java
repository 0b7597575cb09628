package dev.mediaflow.query.store;

import dev.mediaflow.metadata.MetadataDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The read-only SQL of the query API over the tables of {@code metadata} (V1-V3): the same
 * statements on SQLite and PostgreSQL. Every method opens its own connection (SQLite in WAL mode:
 * reading never blocks the sink's writes).
 */
public final class MediaStore implements AutoCloseable {
  static final String ITEM_COLUMNS = "project, run, log_key, step, item_index, media_type, object_key, object_keys,"
      + " content_type, byte_size, sha256, width, height, mode, format, caption, grouping, classes_json,"
      + " warnings_json, metadata_json, logged_at";
  private static final String[] TYPES = {"image", "histogram", "object3D", "table", "video", "audio", "other"};
  private static final String[] TYPE_COLUMNS = {"images", "histograms", "point_clouds", "tables", "videos", "audios",
      "others"};

  /** Idle connections kept: as many as requests usually run at once. */
  private static final int POOLED_CONNECTIONS = 8;

  private final MetadataDatabase database;
  private final ConnectionPool pool;

  public MediaStore(MetadataDatabase database) {
    this.database = database;
    this.pool = new ConnectionPool(database, POOLED_CONNECTIONS);
  }

  /** Closes the idle connections. */
  @Override
  public void close() {
    pool.close();
  }

  /** Whether the store answers a trivial query (readiness). */
  public boolean reachable() {
    try (Connection c = database.connect(); PreparedStatement s = c.prepareStatement("SELECT 1")) {
      return s.executeQuery().next();
    } catch (SQLException e) {
      return false;
    }
  }

  /** Each project with its number of runs, items and last logged time, by name. */
  public List<Map<String, Object>> projects() {
    String sql = "SELECT project, COUNT(*) AS runs, SUM(items) AS items, MAX(last_logged_at) AS last_logged_at"
        + " FROM run_summary GROUP BY project ORDER BY project";
    return query(sql, List.of(), rs -> {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("project", rs.getString(1));
      p.put("runs", rs.getLong(2));
      p.put("items", rs.getLong(3));
      p.put("last_logged_at", rs.getLong(4));
      return p;
    });
  }

  /** The runs of a project, most recently logged first. */
  public List<RunSummary> runs(String project) {
    Map<String, Long> keys = keysPerRun(project, null);
    String sql = "SELECT * FROM run_summary WHERE project = ? ORDER BY last_logged_at DESC, run";
    return query(sql, List.of(project), rs -> runSummary(rs, keys));
  }

  public Optional<RunSummary> run(String project, String run) {
    Map<String, Long> keys = keysPerRun(project, run);
    String sql = "SELECT * FROM run_summary WHERE project = ? AND run = ?";
    return query(sql, List.of(project, run), rs -> runSummary(rs, keys)).stream().findFirst();
  }

  private Map<String, Long> keysPerRun(String project, String run) {
    String sql = "SELECT run, COUNT(DISTINCT log_key) FROM media_item WHERE project = ? AND step >= 0"
        + (run == null ? "" : " AND run = ?") + " GROUP BY run";
    Map<String, Long> keys = new LinkedHashMap<>();
    query(sql, run == null ? List.of(project) : List.of(project, run), rs -> keys.put(rs.getString(1), rs.getLong(2)));
    return keys;
  }

  private static RunSummary runSummary(ResultSet rs, Map<String, Long> keys) throws SQLException {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (int i = 0; i < TYPES.length; i++) {
      counts.put(TYPES[i], rs.getLong(TYPE_COLUMNS[i]));
    }
    String run = rs.getString("run");
    return new RunSummary(run, rs.getLong("items"), rs.getLong("summary_items"), keys.getOrDefault(run, 0L),
        nullableLong(rs, "first_step"), nullableLong(rs, "last_step"), rs.getLong("first_logged_at"),
        rs.getLong("last_logged_at"), counts);
  }

  /** The keys of a run's stepped items, by name; a key's media type is its most frequent one. */
  public List<KeySummary> keys(String project, String run) {
    String sql = "SELECT log_key, media_type, COUNT(*), MIN(step), MAX(step), COUNT(DISTINCT step), MAX(item_index)"
        + " FROM media_item WHERE project = ? AND run = ? AND step >= 0 GROUP BY log_key, media_type ORDER BY log_key";
    Map<String, KeySummary> byKey = new LinkedHashMap<>();
    for (KeySummary part : query(sql, List.of(project, run), rs -> new KeySummary(rs.getString(1), rs.getString(2),
        rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getInt(7)))) {
      byKey.merge(part.key(), part, MediaStore::merge);
    }
    return new ArrayList<>(byKey.values());
  }

  /**
   * Two media types of one key: counts add up, ranges widen, the type is the more frequent one
   * (a merged part's {@code items} is a sum, so this favours the key's first type on ties: good
   * enough for a label). Distinct steps become a lower bound.
   */
  static KeySummary merge(KeySummary a, KeySummary b) {
    String type = b.items() > a.items() ? b.mediaType() : a.mediaType();
    return new KeySummary(a.key(), type, a.items() + b.items(), Math.min(a.firstStep(), b.firstStep()),
        Math.max(a.lastStep(), b.lastStep()), Math.max(a.steps(), b.steps()), Math.max(a.maxIndex(), b.maxIndex()));
  }

  /** The distinct stepped (≥ 0) steps of a key, ascending. */
  public List<Long> steps(String project, String run, String key) {
    String sql = "SELECT DISTINCT step FROM media_item WHERE project = ? AND run = ? AND log_key = ? AND step >= 0"
        + " ORDER BY step";
    return query(sql, List.of(project, run, key), rs -> rs.getLong(1));
  }

  public boolean projectExists(String project) {
    return exists("SELECT 1 FROM media_item WHERE project = ?", List.of(project));
  }

  public boolean runExists(String project, String run) {
    return exists("SELECT 1 FROM media_item WHERE project = ? AND run = ?", List.of(project, run));
  }

  public boolean keyExists(String project, String run, String key) {
    return exists("SELECT 1 FROM media_item WHERE project = ? AND run = ? AND log_key = ?", List.of(project, run, key));
  }

  private boolean exists(String sql, List<?> params) {
    return !query(sql + " LIMIT 1", params, rs -> Boolean.TRUE).isEmpty();
  }

  /**
   * Up to {@code limit} items of a key with {@code from <= step <= to}, after the item
   * ({@code afterStep}, {@code afterIndex}) in (step, index) order.
   */
  public List<ItemRow> items(String project, String run, String key, long from, long to, long afterStep,
      int afterIndex, int limit) {
    String sql = "SELECT " + ITEM_COLUMNS + " FROM media_item WHERE project = ? AND run = ? AND log_key = ?"
        + " AND step >= ? AND step <= ? AND (step > ? OR (step = ? AND item_index > ?))"
        + " ORDER BY step, item_index LIMIT ?";
    return query(sql, List.of(project, run, key, from, to, afterStep, afterStep, afterIndex, limit), MediaStore::item);
  }

  /** The summary items (step -1) of a run, by key and index. */
  public List<ItemRow> summaryItems(String project, String run) {
    String sql = "SELECT " + ITEM_COLUMNS + " FROM media_item WHERE project = ? AND run = ? AND step = -1"
        + " ORDER BY log_key, item_index";
    return query(sql, List.of(project, run), MediaStore::item);
  }

  public Optional<ItemRow> item(String project, String run, String key, long step, int index) {
    String sql = "SELECT " + ITEM_COLUMNS + " FROM media_item WHERE project = ? AND run = ? AND log_key = ?"
        + " AND step = ? AND item_index = ?";
    return query(sql, List.of(project, run, key, step, index), MediaStore::item).stream().findFirst();
  }

  /** The bins of a key's histograms with {@code from <= step <= to}, by step, index and bin. */
  public List<HistogramBin> histogramBins(String project, String run, String key, long from, long to) {
    String sql = "SELECT step, item_index, bin_index, left_edge, right_edge, bin_count FROM histogram_bin"
        + " WHERE project = ? AND run = ? AND log_key = ? AND step >= ? AND step <= ?"
        + " ORDER BY step, item_index, bin_index";
    return query(sql, List.of(project, run, key, from, to), rs -> new HistogramBin(rs.getLong(1), rs.getInt(2),
        rs.getInt(3), rs.getDouble(4), rs.getDouble(5), rs.getDouble(6)));
  }

  private static ItemRow item(ResultSet rs) throws SQLException {
    return new ItemRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getInt(5), rs.getString(6),
        rs.getString(7), rs.getString(8), rs.getString(9), nullableLong(rs, "byte_size"), rs.getString(11),
        nullableInt(rs, "width"), nullableInt(rs, "height"), rs.getString(14), rs.getString(15), rs.getString(16),
        nullableInt(rs, "grouping"), rs.getString(18), rs.getString(19), rs.getString(20), rs.getLong(21));
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
    int value = rs.getInt(column);
    return rs.wasNull() ? null : value;
  }

  /** Reads one row into a value. */
  @FunctionalInterface
  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private <T> List<T> query(String sql, List<?> params, RowReader<T> reader) {
    Connection c;
    try {
      c = pool.borrow();
    } catch (SQLException e) {
      throw new StoreUnavailableException("cannot reach the metadata store at " + database.describe(), e);
    }
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.size(); i++) {
        s.setObject(i + 1, params.get(i));
      }
      List<T> rows = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(reader.read(rs));
        }
      }
      pool.giveBack(c);
      return rows;
    } catch (SQLException | RuntimeException e) {
      ConnectionPool.discard(c);
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new StoreUnavailableException("metadata query failed on " + database.describe() + ": " + e.getMessage(), e);
    }
  }
}
