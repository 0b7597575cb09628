package dev.mediaflow.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediaflow.ingest.npy.NpyWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Items stored before migration V3 (the queryable tables) get their derived rows from a replay in
 * place: the store is taken back to V2 with the items' rows kept, the sink restarts (migrating
 * to V3, the new tables empty), {@code mediaflow-ops replay --in-place} runs, and the queries
 * find the old items' boxes, bins and facts.
 */
class DerivedRowsReplayIT {
  static final String PROJECT = "before-v3";

  @TempDir
  static Path dir;

  static OpsStack ops;

  @BeforeAll
  static void start() throws Exception {
    ops = OpsStack.start(dir);
  }

  @AfterAll
  static void stop() {
    if (ops != null) {
      ops.close();
    }
  }

  @Test
  void shouldFillTheNewTablesForItemsStoredBeforeTheMigrationWhenReplayedInPlace() throws Exception {
    // Given an image with two boxes, a histogram and an audio clip, stored by the pipeline
    ObjectNode call = (ObjectNode) OpsStack.JSON.readTree("""
        {"step": 4, "data": {
          "camera": {"_type": "image", "array": "px", "boxes": {"predictions": {"class_labels": {"1": "pedestrian"},
            "box_data": [
              {"position": {"minX": 0.1, "maxX": 0.2, "minY": 0.1, "maxY": 0.2}, "class_id": 1, "scores": {"conf": 0.2}},
              {"position": {"minX": 0.5, "maxX": 0.6, "minY": 0.5, "maxY": 0.6}, "class_id": 1, "scores": {"conf": 0.9}}]}}},
          "gradients": {"_type": "histogram", "np_histogram": [[1, 2, 3], [0, 1, 2, 3]]},
          "speech": {"_type": "audio", "samples": [0.0, 0.5, -0.5, 0.25], "sample_rate": 4}}}""");
    ops.log(PROJECT, "r", call, Map.of("px", NpyWriter.write("uint8", new long[] {4, 8, 3}, new byte[96])));
    ops.awaitRows(PROJECT, "r", 3);
    // and the store taken back to schema version 2, as a store of an earlier release: rows kept, no V3
    ops.stack.stopServicesGracefully();
    downgradeToVersion2();
    List<Map<String, String>> rowsBefore = OpsStack.rows(ops.stack.jdbcUrl());
    ops.stack.startSink();
    ops.stack.startTransform();
    assertThat(count("SELECT COUNT(*) FROM flyway_schema_history WHERE version = '3' AND success")).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM media_box") + count("SELECT COUNT(*) FROM histogram_bin")
        + count("SELECT COUNT(*) FROM media_facts")).as("derived rows right after the migration").isZero();

    // When the project is replayed in place
    long begin = System.nanoTime();
    OpsStack.Result replay = ops.ops("replay", "--name", "fill-v3", "--in-place", "--project", PROJECT,
        "--timeout", "3m");
    long replayMs = (System.nanoTime() - begin) / 1_000_000;

    // Then the old items have their derived rows, and their own rows are unchanged (stored_at too)
    assertThat(replay.number("items handed to the regular sink")).isEqualTo(3);
    long boxes = count("SELECT COUNT(*) FROM media_box_score WHERE project = '" + PROJECT + "' AND label = 'pedestrian'"
        + " AND score_name = 'conf' AND score_value < 0.3");
    long bins = count("SELECT COUNT(*) FROM histogram_bin WHERE project = '" + PROJECT + "' AND log_key = 'gradients'");
    long audio = count("SELECT COUNT(*) FROM media_facts WHERE project = '" + PROJECT + "' AND media_type = 'audio'"
        + " AND duration_seconds = 1.0 AND sample_rate = 4");
    assertThat(List.of(boxes, bins, audio)).containsExactly(1L, 3L, 1L);
    assertThat(count("SELECT COUNT(*) FROM media_box")).isEqualTo(2);
    assertThat(count("SELECT images FROM run_summary WHERE project = '" + PROJECT + "'")).isEqualTo(1);
    assertThat(OpsStack.rows(ops.stack.jdbcUrl())).isEqualTo(rowsBefore);
    System.out.printf("[figures] DerivedRowsReplayIT: 3 items stored at V2, migrated to V3 with 0 derived rows;"
        + " replay in place took %d ms and filled 2 boxes, 3 bins, 1 audio fact; 3 item rows unchanged%n", replayMs);
  }

  /** What a store written before V3 looks like: V3's tables, view and index gone, Flyway at version 2. */
  private static void downgradeToVersion2() throws SQLException {
    try (Connection c = DriverManager.getConnection(ops.stack.jdbcUrl()); Statement s = c.createStatement()) {
      s.execute("DROP VIEW run_summary");
      s.execute("DROP INDEX media_item_run_idx");
      for (String table : List.of("media_box", "media_box_score", "media_class", "histogram_bin", "media_facts")) {
        s.execute("DROP TABLE " + table);
      }
      s.execute("DELETE FROM flyway_schema_history WHERE version = '3'");
    }
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(ops.stack.jdbcUrl()); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getLong(1);
    }
  }
}
