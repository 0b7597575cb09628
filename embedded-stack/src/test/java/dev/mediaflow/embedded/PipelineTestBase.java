package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediaflow.ingest.client.LogCallRequest;
import dev.mediaflow.schemas.avro.NdArray;
import dev.mediaflow.schemas.deadletter.DeadLetters;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * Shared set-up and helpers of the end-to-end suites: one real embedded stack per class (KRaft
 * broker, Apicurio, S3Proxy, SQL store, the three services), log calls through the HTTP
 * gateway, and readers of what arrived in S3, SQL and the dead-letter topic.
 */
abstract class PipelineTestBase {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static EmbeddedStack stack;
  static StackInspector inspector;

  static void startStack(Path dataDir, String jdbcUrl) {
    stack = EmbeddedStack.start(dataDir, jdbcUrl, line -> System.out.println("[stack] " + line));
    inspector = new StackInspector(stack);
  }

  @AfterAll
  static void stopStack() {
    if (inspector != null) {
      inspector.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  static JsonNode post(String run, ObjectNode log, Map<String, byte[]> parts) throws Exception {
    LogCallRequest request = new LogCallRequest(log.toString());
    // a part's file name is its name, or name.npy when it has no ending of its own
    parts.forEach((name, data) -> request.part(name, name.contains(".") ? name : name + ".npy",
        "application/octet-stream", data));
    HttpResponse<String> response =
        HTTP.send(request.build(stack.gatewayUrl(), "it", run), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  static void awaitRows(String run, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (inspector.rows("it", run) < expected && System.nanoTime() < deadline) {
      Thread.sleep(250);
    }
    assertThat(inspector.rows("it", run)).isEqualTo(expected);
  }

  static Map<Integer, Map<String, String>> awaitDeadLetters(String run, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Map<Integer, Map<String, String>> byIndex = new HashMap<>();
    while (byIndex.size() < expected && System.nanoTime() < deadline) {
      byIndex.clear();
      for (Map<String, String> h : inspector.deadLetters()) {
        if (run.equals(h.get(DeadLetters.RUN))) {
          byIndex.put(Integer.parseInt(h.get(DeadLetters.INDEX)), h);
        }
      }
      Thread.sleep(250);
    }
    assertThat(byIndex).hasSize(expected);
    return byIndex;
  }

  static Map<String, Object> row(String run, String key, long step, int index) throws SQLException {
    try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), "postgres", null);
        PreparedStatement q = c.prepareStatement("SELECT * FROM media_item WHERE project = 'it' AND run = ?"
            + " AND log_key = ? AND step = ? AND item_index = ?")) {
      q.setString(1, run);
      q.setString(2, key);
      q.setLong(3, step);
      q.setInt(4, index);
      try (ResultSet rs = q.executeQuery()) {
        assertThat(rs.next()).as("row %s/%s/%d/%d", run, key, step, index).isTrue();
        Map<String, Object> row = new HashMap<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(), rs.getObject(i));
        }
        return row;
      }
    }
  }

  static byte[] object(String key) {
    return inspector.s3().getObjectAsBytes(GetObjectRequest.builder().bucket(EmbeddedStack.BUCKET).key(key).build())
        .asByteArray();
  }

  /** Decoded samples in numpy's HWC order (band order R, G, B, A). */
  static byte[] pixels(byte[] png) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    int[] samples = image.getRaster().getPixels(0, 0, image.getWidth(), image.getHeight(), (int[]) null);
    byte[] out = new byte[samples.length];
    for (int i = 0; i < samples.length; i++) {
      out[i] = (byte) samples[i];
    }
    return out;
  }

  static byte[] bytes(NdArray array) {
    byte[] out = new byte[array.getData().remaining()];
    array.getData().duplicate().get(out);
    return out;
  }

  static String firstImageInput(Path fixtures, String dtype) throws IOException {
    for (JsonNode c : JSON.readTree(fixtures.resolve("cases.json").toFile()).get("cases")) {
      if (c.get("dtype").asText().equals(dtype) && c.get("expectedMode").asText().equals("RGB")) {
        return c.get("input").asText();
      }
    }
    throw new IllegalStateException("no " + dtype + " fixture");
  }

}
