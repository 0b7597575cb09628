package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediaflow.ingest.npy.NpyWriter;
import dev.mediaflow.transform.pointcloud.PlyReader;
import dev.mediaflow.transform.pointcloud.PointCloud;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point clouds around the 300,000-point limit, end to end: the right count, order and
 * recorded original count under both strategies, a PLY that reads back to the same numbers,
 * and the full cloud archived on request.
 */
class PointCloudIT extends PipelineTestBase {
  static final int LIMIT = 300_000;

  @TempDir
  static Path dataDir;

  @BeforeAll
  static void start() {
    startStack(dataDir, null);
  }

  @Test
  void shouldKeepTheFirstPointsInOrderAndRecordTheOriginalCount() throws Exception {
    String run = "head-" + UUID.randomUUID();
    int[] sizes = {299_999, 300_000, 300_001, 1_000_000};
    for (int i = 0; i < sizes.length; i++) {
      logCloud(run, i, sizes[i]);
    }
    awaitRows(run, sizes.length);
    for (int i = 0; i < sizes.length; i++) {
      int n = sizes[i];
      Map<String, Object> row = row(run, "lidar", 0, i);
      JsonNode meta = JSON.readTree((String) row.get("metadata_json"));
      assertThat(meta.get("original_count").asInt()).isEqualTo(n);
      assertThat(meta.get("kept_count").asInt()).isEqualTo(Math.min(n, LIMIT));
      assertThat(meta.get("truncated").asBoolean()).isEqualTo(n > LIMIT);
      PointCloud ply = PlyReader.read(object(JSON.readTree((String) row.get("object_keys")).get("ply").asText()));
      assertThat(ply.count()).isEqualTo(Math.min(n, LIMIT));
      for (int p : new int[] {0, 1, ply.count() / 2, ply.count() - 1}) {
        assertPoint(ply, p, p); // head keeps point p at position p
      }
      assertThat(row.get("warnings_json").toString().contains("truncated")).isEqualTo(n > LIMIT);
    }
  }

  @Test
  void shouldKeepAnEvenlyStridedSubsampleAndArchiveTheFullCloudWhenConfigured() throws Exception {
    // Given the transform restarted with the strided strategy and archiving on
    stack.overrideTransformSettings(Map.of("pointcloud.strategy", "strided", "pointcloud.archive", "true"));
    stack.stopServicesGracefully();
    stack.startSink();
    stack.startTransform();
    String run = "strided-" + UUID.randomUUID();
    int n = 1_000_000;

    // When
    logCloud(run, 0, n);

    // Then points floor(i * n / limit) are kept, in order, and the archive holds all n
    awaitRows(run, 1);
    Map<String, Object> row = row(run, "lidar", 0, 0);
    JsonNode keys = JSON.readTree((String) row.get("object_keys"));
    PointCloud ply = PlyReader.read(object(keys.get("ply").asText()));
    assertThat(ply.count()).isEqualTo(LIMIT);
    for (int i : new int[] {0, 1, 2, 150_000, LIMIT - 1}) {
      assertPoint(ply, i, (int) ((long) i * n / LIMIT));
    }
    assertThat(JSON.readTree((String) row.get("metadata_json")).get("strategy").asText()).isEqualTo("strided");
    PointCloud archive = PlyReader.read(object(keys.get("archive").asText()));
    assertThat(archive.count()).isEqualTo(n);
    assertPoint(archive, n - 1, n - 1);
  }

  /** Point i is (i, 2i, -i, i mod 256, 7, 255 - i mod 256): exact in float32 below 2^24. */
  static void logCloud(String run, int index, int n) throws Exception {
    ByteBuffer data = ByteBuffer.allocate(n * 6 * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      data.putFloat(i).putFloat(2f * i).putFloat(-i).putFloat(i % 256).putFloat(7).putFloat(255 - i % 256);
    }
    // one cloud per call, at list index `index`: earlier positions hold placeholders the gateway refuses
    ObjectNode call = JSON.createObjectNode().put("step", 0);
    var list = call.putObject("data").putArray("lidar");
    for (int k = 0; k < index; k++) {
      list.addObject().put("_type", "object3D").put("file", "absent");
    }
    list.addObject().put("_type", "object3D").put("points", "cloud");
    var request = new dev.mediaflow.ingest.client.LogCallRequest(call.toString())
        .part("cloud", "cloud.npy", "application/octet-stream", NpyWriter.write("float32", new long[] {n, 6}, data.array()));
    var response = HTTP.send(request.build(stack.gatewayUrl(), "it", run),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(JSON.readTree(response.body()).get("accepted").asInt()).as(response.body()).isEqualTo(1);
  }

  static void assertPoint(PointCloud cloud, int position, int original) {
    assertThat(cloud.get(position, 0)).isEqualTo(original);
    assertThat(cloud.get(position, 1)).isEqualTo(2.0 * original);
    assertThat(cloud.get(position, 2)).isEqualTo(-original);
    assertThat(cloud.get(position, 3)).isEqualTo(original % 256);
    assertThat(cloud.get(position, 5)).isEqualTo(255 - original % 256);
  }
}
