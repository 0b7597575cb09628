package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediaflow.ingest.client.LogCallRequest;
import dev.mediaflow.ingest.npy.NpyWriter;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every example query of {@code docs/QUERIES.md}, run against a small deterministic dataset that
 * went through HTTP → Kafka → transform → sink, its result compared with the one the file
 * documents. Subclasses choose the engine.
 */
abstract class QueriesContract extends PipelineTestBase {
  static final String PROJECT = "street";
  static final int POINT_LIMIT = 1_000;

  /** Starts the stack on {@code jdbcUrl} with a point limit the dataset's clouds can exceed cheaply. */
  static void startWithDataset(java.nio.file.Path dataDir, String jdbcUrl) throws Exception {
    startStack(dataDir, jdbcUrl);
    stack.overrideTransformSettings(Map.of("pointcloud.limit", Integer.toString(POINT_LIMIT)));
    stack.stopServicesGracefully();
    stack.startSink();
    stack.startTransform();
    logDataset();
    awaitProjectRows("r7", 14);
    awaitProjectRows("r8", 2);
  }

  @Test
  void shouldAnswerEveryDocumentedQueryAsDocumented() throws Exception {
    // Given the dataset of docs/QUERIES.md, stored by the pipeline (see startWithDataset)
    List<QueryDoc> queries = QueryDoc.all();
    assertThat(queries).hasSizeGreaterThanOrEqualTo(10);

    // When each query runs / Then it returns exactly the documented rows
    long begin = System.nanoTime();
    try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), "postgres", null)) {
      for (QueryDoc query : queries) {
        List<List<Object>> rows = run(c, query);
        assertThat(rows).as("%s: rows of%n%s", query.title(), query.sql()).hasSize(query.rows().size());
        for (int r = 0; r < rows.size(); r++) {
          for (int col = 0; col < query.columns().size(); col++) {
            assertThat(QueryDoc.matches(query.rows().get(r).get(col), rows.get(r).get(col)))
                .as("%s: row %d column %s is %s, documented %s", query.title(), r, query.columns().get(col),
                    rows.get(r).get(col), query.rows().get(r).get(col))
                .isTrue();
          }
        }
      }
    }
    System.out.printf("[figures] %s: %d documented queries answered as documented in %d ms%n",
        getClass().getSimpleName(), queries.size(), (System.nanoTime() - begin) / 1_000_000);
  }

  private static List<List<Object>> run(Connection c, QueryDoc query) throws Exception {
    List<List<Object>> rows = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query.sql())) {
      ResultSetMetaData meta = rs.getMetaData();
      List<String> labels = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        labels.add(meta.getColumnLabel(i).toLowerCase());
      }
      assertThat(labels).as(query.title()).isEqualTo(query.columns());
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= labels.size(); i++) {
          row.add(rs.getObject(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  // ----- the dataset (docs/QUERIES.md describes it) -----

  private static void logDataset() throws Exception {
    Map<String, byte[]> parts = new HashMap<>();
    parts.put("px", NpyWriter.write("uint8", new long[] {16, 32, 3}, new byte[16 * 32 * 3]));
    parts.put("mask", NpyWriter.write("uint8", new long[] {16, 32}, new byte[16 * 32]));
    parts.put("cloud1500", floats(1500, 3));
    parts.put("cloud800", floats(800, 3));
    parts.put("s8000", floats(8000));
    parts.put("s4000", floats(4000));
    parts.put("frames", NpyWriter.write("uint8", new long[] {4, 3, 8, 8}, new byte[4 * 3 * 8 * 8]));
    log("r7", """
        {"step": 0, "data": {
          "camera": {"_type": "image", "array": "px", "boxes": {"predictions": {
             "class_labels": {"1": "pedestrian", "2": "car"}, "box_data": [
             {"position": {"minX": 0.1, "maxX": 0.3, "minY": 0.2, "maxY": 0.6}, "class_id": 1, "scores": {"conf": 0.9}},
             {"position": {"minX": 0.5, "maxX": 0.9, "minY": 0.5, "maxY": 0.9}, "class_id": 2, "scores": {"conf": 0.8}}]}}},
          "gradients": {"_type": "histogram", "np_histogram": [[1, 4, 4, 1], [-2, -1, 0, 1, 2]]},
          "lidar": {"_type": "object3D", "points": "cloud1500"},
          "speech": {"_type": "audio", "samples": "s8000", "sample_rate": 8000},
          "preds": {"_type": "table", "columns": ["id", "score"], "data": [[1, 0.5], [2, 0.7], [3, 0.9]]},
          "rollout": {"_type": "video", "frames": "frames", "fps": 2}}}""", parts, 6);
    log("r7", """
        {"step": 1, "data": {
          "camera": [{"_type": "image", "array": "px", "boxes": {"predictions": {
             "class_labels": {"1": "pedestrian", "2": "car"}, "box_data": [
             {"position": {"minX": 2, "maxX": 6, "minY": 2, "maxY": 10}, "domain": "pixel", "class_id": 1,
              "box_caption": "far", "scores": {"conf": 0.25}},
             {"position": {"minX": 10, "maxX": 14, "minY": 4, "maxY": 12}, "domain": "pixel", "class_id": 1,
              "scores": {"conf": 0.6}},
             {"position": {"minX": 20, "maxX": 30, "minY": 8, "maxY": 16}, "domain": "pixel", "class_id": 2,
              "scores": {"conf": 0.1}}]}}},
             {"_type": "image", "array": "px"}],
          "gradients": {"_type": "histogram", "np_histogram": [[0, 5, 5, 0], [-2, -1, 0, 1, 2]]},
          "lidar": {"_type": "object3D", "points": "cloud800"},
          "speech": {"_type": "audio", "samples": "s4000", "sample_rate": 8000}}}""", parts, 5);
    log("r7", """
        {"step": 2, "data": {
          "camera": {"_type": "image", "array": "px",
             "boxes": {"predictions": {"class_labels": {"1": "pedestrian", "2": "car"}, "box_data": [%s]}},
             "masks": {"ground": {"mask_data": "mask", "class_labels": {"3": "road"}}}},
          "gradients": {"_type": "histogram", "np_histogram": [[3, 2, 2, 3], [-2, -1, 0, 1, 2]]}}}"""
        .formatted(crowd()), parts, 2);
    log("r7", """
        {"step": 3, "data": {"camera": {"_type": "image", "array": "px",
          "masks": {"ground": {"mask_data": "mask", "class_labels": {"3": "road"}}}}}}""", parts, 1);
    log("r8", """
        {"step": 5, "data": {
          "camera": {"_type": "image", "array": "px", "boxes": {"predictions": {
             "class_labels": {"1": "pedestrian"}, "box_data": [
             {"position": {"minX": 0.6, "maxX": 0.7, "minY": 0.1, "maxY": 0.9}, "class_id": 1, "scores": {"conf": 0.1}}]}}},
          "speech": {"_type": "audio", "samples": "s8000", "sample_rate": 16000}}}""", parts, 2);
  }

  /** 21 cars (conf 0.5) then a pedestrian (conf 0.2), small boxes side by side. */
  private static String crowd() {
    List<String> boxes = new ArrayList<>();
    for (int i = 0; i < 22; i++) {
      double minX = i * 0.04;
      boxes.add(String.format(java.util.Locale.ROOT, "{\"position\": {\"minX\": %s, \"maxX\": %s, \"minY\": 0.1,"
          + " \"maxY\": 0.2}, \"class_id\": %d, \"scores\": {\"conf\": %s}}", minX, minX + 0.03, i < 21 ? 2 : 1,
          i < 21 ? "0.5" : "0.2"));
    }
    return String.join(", ", boxes);
  }

  private static void log(String run, String json, Map<String, byte[]> allParts, int items) throws Exception {
    ObjectNode call = (ObjectNode) JSON.readTree(json);
    LogCallRequest request = new LogCallRequest(call.toString());
    allParts.forEach((name, data) -> {
      if (json.contains("\"" + name + "\"")) {
        request.part(name, name + ".npy", "application/octet-stream", data);
      }
    });
    HttpResponse<String> response = HTTP.send(request.build(stack.gatewayUrl(), PROJECT, run),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).get("accepted").asInt()).as(response.body()).isEqualTo(items);
  }

  private static byte[] floats(long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return NpyWriter.write("float32", shape, ByteBuffer.allocate((int) n * 4).order(ByteOrder.LITTLE_ENDIAN).array());
  }

  private static void awaitProjectRows(String run, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (inspector.rows(PROJECT, run) < expected && System.nanoTime() < deadline) {
      Thread.sleep(250);
    }
    assertThat(inspector.rows(PROJECT, run)).as("rows of run %s", run).isEqualTo(expected);
  }
}
