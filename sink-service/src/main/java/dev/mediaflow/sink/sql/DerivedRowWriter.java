package dev.mediaflow.sink.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * Writes an item's {@link DerivedRows} on the caller's connection, inside the caller's
 * transaction: deletes every derived row of the item's identity, then inserts the new ones, so
 * writing the same item again leaves exactly the same rows.
 */
final class DerivedRowWriter {

  /** Every table holding rows derived from an item, each keyed by the item identity first. */
  static final List<String> TABLES = List.of("media_box", "media_box_score", "media_class", "histogram_bin",
      "media_facts");

  private static final String IDENTITY = "project, run, log_key, step, item_index";
  private static final String INSERT_BOX = "INSERT INTO media_box (" + IDENTITY + ", box_group, box_index, class_id,"
      + " label, domain, px_min_x, px_max_x, px_min_y, px_max_y, rel_min_x, rel_max_x, rel_min_y, rel_max_y,"
      + " box_caption) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String INSERT_SCORE = "INSERT INTO media_box_score (" + IDENTITY + ", box_group, box_index,"
      + " class_id, label, score_name, score_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String INSERT_CLASS = "INSERT INTO media_class (" + IDENTITY + ", class_id, class_name)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?)";
  private static final String INSERT_BIN = "INSERT INTO histogram_bin (" + IDENTITY + ", bin_index, left_edge,"
      + " right_edge, bin_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String INSERT_FACTS = "INSERT INTO media_facts (" + IDENTITY + ", media_type,"
      + " original_points, kept_points, truncated, row_count, column_count, frame_count, fps, duration_seconds,"
      + " sample_rate, channels, width, height, format)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private DerivedRowWriter() {
  }

  /** Replaces the derived rows of {@code row}'s item with {@code derived}. */
  static void replace(Connection connection, MediaRow row, DerivedRows derived) throws SQLException {
    for (String table : TABLES) {
      try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table
          + " WHERE project = ? AND run = ? AND log_key = ? AND step = ? AND item_index = ?")) {
        bindIdentity(delete, row);
        delete.executeUpdate();
      }
    }
    insertBoxes(connection, row, derived.boxes());
    insertScores(connection, row, derived.scores());
    insertClasses(connection, row, derived.classes());
    insertBins(connection, row, derived.bins());
    if (derived.facts() != null) {
      insertFacts(connection, row, derived.facts());
    }
  }

  private static void insertBoxes(Connection connection, MediaRow row, List<DerivedRows.Box> boxes)
      throws SQLException {
    if (boxes.isEmpty()) {
      return;
    }
    try (PreparedStatement s = connection.prepareStatement(INSERT_BOX)) {
      for (DerivedRows.Box b : boxes) {
        int i = bindIdentity(s, row);
        s.setString(++i, b.group());
        s.setInt(++i, b.boxIndex());
        s.setInt(++i, b.classId());
        s.setString(++i, b.label());
        s.setString(++i, b.domain());
        for (double v : new double[] {b.pxMinX(), b.pxMaxX(), b.pxMinY(), b.pxMaxY(),
            b.relMinX(), b.relMaxX(), b.relMinY(), b.relMaxY()}) {
          s.setDouble(++i, v);
        }
        setNullable(s, ++i, b.caption(), Types.VARCHAR);
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  private static void insertScores(Connection connection, MediaRow row, List<DerivedRows.Score> scores)
      throws SQLException {
    if (scores.isEmpty()) {
      return;
    }
    try (PreparedStatement s = connection.prepareStatement(INSERT_SCORE)) {
      for (DerivedRows.Score score : scores) {
        int i = bindIdentity(s, row);
        s.setString(++i, score.group());
        s.setInt(++i, score.boxIndex());
        s.setInt(++i, score.classId());
        s.setString(++i, score.label());
        s.setString(++i, score.name());
        s.setDouble(++i, score.value());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  private static void insertClasses(Connection connection, MediaRow row, List<DerivedRows.ItemClass> classes)
      throws SQLException {
    if (classes.isEmpty()) {
      return;
    }
    try (PreparedStatement s = connection.prepareStatement(INSERT_CLASS)) {
      for (DerivedRows.ItemClass c : classes) {
        int i = bindIdentity(s, row);
        s.setInt(++i, c.id());
        s.setString(++i, c.name());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  private static void insertBins(Connection connection, MediaRow row, List<DerivedRows.Bin> bins)
      throws SQLException {
    if (bins.isEmpty()) {
      return;
    }
    try (PreparedStatement s = connection.prepareStatement(INSERT_BIN)) {
      for (DerivedRows.Bin b : bins) {
        int i = bindIdentity(s, row);
        s.setInt(++i, b.index());
        s.setDouble(++i, b.left());
        s.setDouble(++i, b.right());
        s.setDouble(++i, b.count());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  private static void insertFacts(Connection connection, MediaRow row, DerivedRows.Facts f) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement(INSERT_FACTS)) {
      int i = bindIdentity(s, row);
      s.setString(++i, f.mediaType());
      setNullable(s, ++i, f.originalPoints(), Types.BIGINT);
      setNullable(s, ++i, f.keptPoints(), Types.BIGINT);
      setNullable(s, ++i, f.truncated(), Types.INTEGER);
      setNullable(s, ++i, f.rowCount(), Types.BIGINT);
      setNullable(s, ++i, f.columnCount(), Types.INTEGER);
      setNullable(s, ++i, f.frameCount(), Types.BIGINT);
      setNullable(s, ++i, f.fps(), Types.DOUBLE);
      setNullable(s, ++i, f.durationSeconds(), Types.DOUBLE);
      setNullable(s, ++i, f.sampleRate(), Types.INTEGER);
      setNullable(s, ++i, f.channels(), Types.INTEGER);
      setNullable(s, ++i, f.width(), Types.INTEGER);
      setNullable(s, ++i, f.height(), Types.INTEGER);
      setNullable(s, ++i, f.format(), Types.VARCHAR);
      s.executeUpdate();
    }
  }

  /** Binds the five identity columns as parameters 1-5 and returns 5. */
  private static int bindIdentity(PreparedStatement s, MediaRow row) throws SQLException {
    s.setString(1, row.project());
    s.setString(2, row.run());
    s.setString(3, row.logKey());
    s.setLong(4, row.step());
    s.setInt(5, row.itemIndex());
    return 5;
  }

  private static void setNullable(PreparedStatement s, int index, Object value, int sqlType) throws SQLException {
    if (value == null) {
      s.setNull(index, sqlType);
    } else {
      s.setObject(index, value, sqlType);
    }
  }
}
