package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediaflow.ingest.client.LogCallRequest;
import dev.mediaflow.ingest.npy.NpyWriter;
import dev.mediaflow.schemas.identity.ItemIdentity;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run's summary media ({@code run.summary.update} of the reference) through
 * {@code POST .../runs/{run}/summary}: stored with step {@link ItemIdentity#SUMMARY_STEP} under
 * the {@code summary} object segment, overwritten on re-post, apart from the same key's steps.
 */
class SummaryMediaIT extends PipelineTestBase {
  @TempDir
  static Path dataDir;

  @BeforeAll
  static void start() {
    startStack(dataDir, null);
  }

  @Test
  void shouldStoreSummaryMediaOnceAtTheSummaryStepAndOverwriteItOnRePost() throws Exception {
    // Given a summary call with a histogram, an image and a broken item
    String run = "summary-" + UUID.randomUUID();
    ObjectNode summary = summaryCall();
    ((ObjectNode) summary.get("data")).putObject("bad").put("_type", "hologram");

    // When
    JsonNode first = postSummary(run, summary, Map.of("h0", histogramInput(), "a0", image(10)));

    // Then the good items are rows at step -1, the image under .../final_img/summary/0.png
    assertThat(first.get("accepted").asInt()).isEqualTo(2);
    JsonNode rejected = first.get("rejected").get(0);
    assertThat(rejected.get("step").asLong()).isEqualTo(ItemIdentity.SUMMARY_STEP);
    assertThat(rejected.get("reason").asText()).contains("unsupported media type \"hologram\"");
    awaitRows(run, 2);
    assertThat(row(run, "final_hist", -1, 0).get("media_type")).isEqualTo("histogram");
    String imageKey = (String) row(run, "final_img", -1, 0).get("object_key");
    assertThat(imageKey).endsWith("/" + run + "/final_img/summary/0.png");

    // When the same summary key is posted again with other pixels
    long before = System.nanoTime();
    postSummary(run, summaryCall(), Map.of("h0", histogramInput(), "a0", image(99)));

    // Then its one row and object are overwritten
    awaitPixels(imageKey, filled(99));
    long overwriteMs = (System.nanoTime() - before) / 1_000_000;
    assertThat(inspector.rows("it", run)).isEqualTo(2);

    // When the same key is logged at step 0 through /log
    ObjectNode log = JSON.createObjectNode().put("step", 0);
    log.putObject("data").putObject("final_img").put("_type", "image").put("array", "a0");
    post(run, log, Map.of("a0", image(7)));

    // Then it is a row of its own, beside the summary's
    awaitRows(run, 3);
    assertThat((String) row(run, "final_img", 0, 0).get("object_key")).endsWith("/final_img/000000000000/0.png");
    assertThat(row(run, "final_img", -1, 0).get("object_key")).isEqualTo(imageKey);
    System.out.println("[figures] summary: 2 of 3 items stored at step -1 (hologram refused), re-post overwrote the"
        + " one row in " + overwriteMs + " ms, /log step 0 of the same key a separate row (3 rows)");
  }

  @Test
  void shouldRefuseASummaryCallThatGivesAStepAndALogCallAtTheSummaryStep() throws Exception {
    // Given a summary body with a step, and a log body with step -1
    String run = "summary-step-" + UUID.randomUUID();
    ObjectNode withStep = summaryCall().put("step", 3);
    ObjectNode logAtSummaryStep = summaryCall().put("step", -1);

    // When
    HttpResponse<String> summary = send(new LogCallRequest(withStep.toString()).part("h0", "h0.npy",
        "application/octet-stream", histogramInput()).part("a0", "a0.npy", "application/octet-stream", image(1))
        .buildSummary(stack.gatewayUrl(), "it", run));
    HttpResponse<String> log = send(new LogCallRequest(logAtSummaryStep.toString()).part("h0", "h0.npy",
        "application/octet-stream", histogramInput()).part("a0", "a0.npy", "application/octet-stream", image(1))
        .build(stack.gatewayUrl(), "it", run));

    // Then both are 400 with a clear reason, nothing is stored, and a good summary call still is
    assertThat(summary.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(summary.body()).get("message").asText()).contains("summary call has no \"step\"");
    assertThat(log.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(log.body()).get("message").asText()).contains("non-negative");
    postSummary(run, summaryCall(), Map.of("h0", histogramInput(), "a0", image(2)));
    awaitRows(run, 2);
    System.out.println("[figures] summary with step: HTTP " + summary.statusCode() + "; /log at step -1: HTTP "
        + log.statusCode() + "; next summary call stored 2 rows");
  }

  /** {@code {"data": {"final_hist": histogram of h0, "final_img": image of a0}}}, no step. */
  private static ObjectNode summaryCall() {
    ObjectNode call = JSON.createObjectNode();
    ObjectNode data = call.putObject("data");
    data.putObject("final_hist").put("_type", "histogram").put("sequence", "h0").put("num_bins", 4);
    data.putObject("final_img").put("_type", "image").put("array", "a0");
    return call;
  }

  private static JsonNode postSummary(String run, ObjectNode call, Map<String, byte[]> parts) throws Exception {
    LogCallRequest request = new LogCallRequest(call.toString());
    parts.forEach((name, data) -> request.part(name, name + ".npy", "application/octet-stream", data));
    HttpResponse<String> response = send(request.buildSummary(stack.gatewayUrl(), "it", run));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static HttpResponse<String> send(java.net.http.HttpRequest request) throws Exception {
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] histogramInput() {
    ByteBuffer values = ByteBuffer.allocate(8 * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 8; i++) {
      values.putDouble(i * 0.5);
    }
    return NpyWriter.write("float64", new long[] {8}, values.array());
  }

  private static byte[] image(int fill) {
    return NpyWriter.write("uint8", new long[] {4, 4, 3}, filled(fill));
  }

  private static void awaitPixels(String key, byte[] expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!Arrays.equals(pixels(object(key)), expected) && System.nanoTime() < deadline) {
      Thread.sleep(250);
    }
    assertThat(pixels(object(key))).isEqualTo(expected);
  }

  /** 4x4 RGB samples all equal to {@code fill}. */
  private static byte[] filled(int fill) {
    byte[] pixels = new byte[4 * 4 * 3];
    Arrays.fill(pixels, (byte) fill);
    return pixels;
  }
}
