package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediaflow.ingest.client.LogCallRequest;
import dev.mediaflow.ingest.npy.NpyReader;
import dev.mediaflow.schemas.avro.NdArray;
import dev.mediaflow.schemas.deadletter.DeadLetters;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Drives the real embedded stack (KRaft broker, Apicurio, S3Proxy, SQL store, the three
 * services) through the HTTP gateway and checks what comes out of S3 and SQL. Subclasses
 * choose the SQL engine.
 */
abstract class ImagePipelineContract extends PipelineTestBase {
  static final Path FIXTURES = Path.of("../transform-service/src/test/resources/fixtures/image");
  @Test
  void shouldStoreEveryNumpyFixtureWithNumpysExactPixels() throws Exception {
    // Given every image fixture (each dtype × normalization branch) logged in one call
    String run = "fixtures-" + UUID.randomUUID();
    JsonNode cases = JSON.readTree(FIXTURES.resolve("cases.json").toFile()).get("cases");
    ObjectNode log = JSON.createObjectNode().put("step", 7);
    ArrayNode items = log.putObject("data").putArray("examples");
    Map<String, byte[]> parts = new HashMap<>();
    for (int i = 0; i < cases.size(); i++) {
      JsonNode c = cases.get(i);
      ObjectNode item = items.addObject().put("_type", "image").put("caption", c.get("name").asText());
      item.put(c.get("chw").asBoolean() ? "tensor" : "array", "p" + i).put("normalize", c.get("normalize").asBoolean());
      if (!c.get("mode").isNull()) {
        item.put("mode", c.get("mode").asText());
      }
      parts.put("p" + i, Files.readAllBytes(FIXTURES.resolve(c.get("input").asText())));
    }

    // When
    JsonNode answer = post(run, log, parts);

    // Then every item is accepted, stored once, and decodes to numpy's expected uint8 array
    assertThat(answer.get("accepted").asInt()).isEqualTo(cases.size());
    awaitRows(run, cases.size());
    for (int i = 0; i < cases.size(); i++) {
      JsonNode c = cases.get(i);
      Map<String, Object> row = row(run, "examples", 7, i);
      assertThat(row.get("caption")).isEqualTo(c.get("name").asText());
      assertThat(row.get("mode")).as(c.get("name").asText()).isEqualTo(c.get("expectedMode").asText());
      JsonNode warnings = JSON.readTree(row.get("warnings_json").toString());
      // 59 images under one key at one step: every item carries the per-step advice (more than 50)
      assertThat(warnings.toString()).contains("more than the advised 50; all are stored");
      assertThat(warnings.size() > 1).as(c.get("name") + " warning").isEqualTo(c.get("expectWarning").asBoolean());
      NdArray expected = NpyReader.read(Files.readAllBytes(FIXTURES.resolve(c.get("expected").asText())));
      assertThat(((Number) row.get("height")).longValue()).isEqualTo(expected.getShape().get(0));
      assertThat(((Number) row.get("width")).longValue()).isEqualTo(expected.getShape().get(1));
      assertThat(pixels(object((String) row.get("object_key")))).as(c.get("name").asText())
          .isEqualTo(bytes(expected));
    }
    assertThat(inspector.objectKeys("media/it/" + run + "/")).hasSize(cases.size());
  }

  @Test
  void shouldDeadLetterBadItemsWithReasonsAndStoreTheRestOfTheCall() throws Exception {
    // Given one call mixing a good image with each kind of bad item
    String run = "bad-" + UUID.randomUUID();
    ObjectNode log = JSON.createObjectNode().put("step", 2);
    ArrayNode items = log.putObject("data").putArray("mixed");
    items.addObject().put("_type", "image").put("array", "good");
    items.addObject().put("_type", "image").put("array", "five");
    items.addObject().put("_type", "image").put("array", "good").put("file_type", "tiff");
    items.addObject().put("_type", "image").put("file", "broken.png");
    items.addObject().put("_type", "image").put("array", "missing");
    items.addObject().put("_type", "image").put("file", "x.png");
    Map<String, byte[]> parts = Map.of(
        "good", Files.readAllBytes(FIXTURES.resolve(firstImageInput(FIXTURES, "uint8"))),
        "five", dev.mediaflow.ingest.npy.NpyWriter.write("uint8", new long[] {4, 4, 5}, new byte[80]),
        "broken.png", "definitely not a png".getBytes(),
        "x.png", Files.readAllBytes(FIXTURES.resolve("encoded/rgb_9x4.png")));

    // When
    JsonNode answer = post(run, log, parts);

    // Then the gateway refuses the structurally broken item at once, naming it
    assertThat(answer.get("accepted").asInt()).isEqualTo(5);
    assertThat(answer.get("rejected")).hasSize(1);
    assertThat(answer.get("rejected").get(0).get("index").asInt()).isEqualTo(4);
    assertThat(answer.get("rejected").get(0).get("reason").asText()).contains("\"missing\"");
    // and the two good items are stored
    awaitRows(run, 2);
    assertThat(row(run, "mixed", 2, 0).get("width")).isNotNull();
    assertThat(((Number) row(run, "mixed", 2, 5).get("width")).intValue()).isEqualTo(9);
    // and every bad item is a dead letter with its identity and reason
    Map<Integer, Map<String, String>> letters = awaitDeadLetters(run, 4);
    assertThat(letters.get(1).get(DeadLetters.REASON)).contains("unsupported shape");
    assertThat(letters.get(2).get(DeadLetters.REASON)).contains("tiff");
    assertThat(letters.get(3).get(DeadLetters.REASON)).contains("does not decode");
    assertThat(letters.get(4).get(DeadLetters.STAGE)).isEqualTo("ingest");
    assertThat(letters.get(1).get(DeadLetters.STAGE)).isEqualTo("transform");
    assertThat(letters.get(1).get(DeadLetters.SOURCE_TOPIC)).isEqualTo(stack.topics().raw().name());
    assertThat(letters.values()).allSatisfy(h -> {
      assertThat(h.get(DeadLetters.PROJECT)).isEqualTo("it");
      assertThat(h.get(DeadLetters.KEY)).isEqualTo("mixed");
      assertThat(h.get(DeadLetters.STEP)).isEqualTo("2");
    });
  }

  @Test
  void shouldAnswer400WhenNothingInTheCallIsAcceptable() throws Exception {
    ObjectNode log = JSON.createObjectNode().put("step", 0);
    log.putObject("data").putObject("k").put("_type", "image").put("array", "absent");
    HttpResponse<String> response =
        HTTP.send(new LogCallRequest(log.toString()).build(stack.gatewayUrl(), "it", "r400"),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("part \\\"absent\\\"", "\"key\":\"k\"", "\"step\":0", "\"index\":0");
  }

}
