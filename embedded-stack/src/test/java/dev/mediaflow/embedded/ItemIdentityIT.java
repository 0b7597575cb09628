package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediaflow.ingest.client.LogCallRequest;
import dev.mediaflow.ingest.npy.NpyWriter;
import dev.mediaflow.schemas.deadletter.DeadLetters;
import dev.mediaflow.schemas.identity.ItemIdentity;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, class 2 on the real stack: different names never land on the same item, names that
 * could never be stored are refused at the gateway with a reason (the call's other items are
 * stored), and nothing accepted with 200 is refused later for its identity.
 */
class ItemIdentityIT extends PipelineTestBase {
  private static final byte[] PIXELS = NpyWriter.write("uint8", new long[] {4, 6, 3}, new byte[4 * 6 * 3]);

  @TempDir
  static Path dataDir;

  @BeforeAll
  static void start() {
    startStack(dataDir, null);
  }

  @AfterEach
  void pipelineStillStoresANormalCall() throws Exception {
    // Then, after every hostile scenario, a normal call is still stored
    String run = "after-" + UUID.randomUUID();
    HttpResponse<String> response = postRaw("it", run, html("page"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    awaitRowCount("it", run, 1);
  }

  @Test
  void shouldKeepRunsThatFormDecodingConflatedApart() throws Exception {
    // Given runs x+y and x%20y (form decoding made both "x y"), and x%2By (the same name as x+y)
    String tag = UUID.randomUUID().toString();

    // When
    int plus = postRaw("it", "x+y-" + tag, html("page")).statusCode();
    int escapedSpace = postRaw("it", "x%20y-" + tag, html("page")).statusCode();
    int escapedPlus = postRaw("it", "x%2By-" + tag, html("other")).statusCode();

    // Then two runs: "x+y" with two items, "x y" with one, each under its own object prefix
    assertThat(List.of(plus, escapedSpace, escapedPlus)).containsOnly(200);
    awaitRowCount("it", "x+y-" + tag, 2);
    awaitRowCount("it", "x y-" + tag, 1);
    List<String> plusObjects = inspector.objectKeys("media/it/x%2By-" + tag + "/");
    List<String> spaceObjects = inspector.objectKeys("media/it/x%20y-" + tag + "/");
    assertThat(plusObjects).hasSize(2);
    assertThat(spaceObjects).hasSize(1);
    System.out.println("[figures] identity runs x+y / x%20y / x%2By: rows " + inspector.rows("it", "x+y-" + tag)
        + " (x+y) and " + inspector.rows("it", "x y-" + tag) + " (x y); objects " + plusObjects.size() + " and "
        + spaceObjects.size());
  }

  @Test
  void shouldRefuseRunOrProjectThatIsNotValidUnicodeOrHoldsAControlCharacter() throws Exception {
    // When
    HttpResponse<String> surrogate = postRaw("it", "bad%ED%A0%80", html("page"));
    HttpResponse<String> control = postRaw("it", "bad%01run", html("page"));
    HttpResponse<String> c1 = postRaw("p%C2%85", "r", html("page"));
    HttpResponse<String> empty = postRaw("it", "%20", html("page"));

    // Then each is a 400 whose JSON reason names the segment and the problem
    assertThat(List.of(surrogate.statusCode(), control.statusCode(), c1.statusCode())).containsOnly(400);
    assertThat(error(surrogate)).isEqualTo("path: run segment \"bad%ED%A0%80\": percent-escapes do not decode to valid UTF-8");
    assertThat(error(control)).isEqualTo("path: run \"bad\\u0001run\" holds control character U+0001 at character 3");
    assertThat(error(c1)).isEqualTo("path: project \"p\\u0085\" holds control character U+0085 at character 1");
    assertThat(empty.statusCode()).as("a run of one space is a name").isEqualTo(200);
    System.out.println("[figures] identity bad path segments: " + List.of(surrogate.statusCode(), control.statusCode(),
        c1.statusCode()) + " with reasons; e.g. " + error(control));
  }

  @Test
  void shouldRejectOnlyTheItemsWhoseKeysCouldNeverBeStored() throws Exception {
    // Given one call: a key one byte over the limit, a lone surrogate, a control character, a good neighbour
    String run = "keys-" + UUID.randomUUID();
    String overLong = "k".repeat(ItemIdentity.MAX_KEY_BYTES + 1);
    String json = "{\"step\": 4, \"data\": {\"" + overLong + "\": {\"_type\": \"html\", \"html\": \"x\"},"
        + " \"lone\\ud800\": {\"_type\": \"html\", \"html\": \"x\"}, \"tab\\tkey\": {\"_type\": \"html\", \"html\": \"x\"},"
        + " \"neighbour\": {\"_type\": \"html\", \"html\": \"<p>kept</p>\"}}}";

    // When (the JSON text is sent as written: a parsed tree would turn the lone surrogate into '?')
    HttpResponse<String> response = postRaw("it", run, json, Map.of());

    // Then the answer is 200 with the three refused items, identity and reason, and the neighbour is stored
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode answer = JSON.readTree(response.body());
    assertThat(answer.get("accepted").asInt()).isEqualTo(1);
    JsonNode rejected = answer.get("rejected");
    assertThat(rejected).hasSize(3);
    assertThat(rejected.get(0).get("key").asText()).isEqualTo(overLong);
    assertThat(rejected.get(0).get("run").asText()).isEqualTo(run);
    assertThat(rejected.get(0).get("step").asLong()).isEqualTo(4);
    assertThat(rejected.get(0).get("reason").asText())
        .contains("250 bytes percent-encoded, above the limit of " + ItemIdentity.MAX_KEY_BYTES);
    assertThat(rejected.get(1).get("reason").asText()).contains("not valid Unicode: unpaired surrogate U+D800");
    assertThat(rejected.get(2).get("reason").asText()).contains("control character U+0009");
    awaitRowCount("it", run, 1);
    assertThat(row(run, "neighbour", 4, 0).get("media_type")).isEqualTo("html");
    // and the over-long item is a dead letter carrying its full identity
    assertThat(deadLetterKeys(run, 3)).contains(overLong, "tab\tkey");
    System.out.println("[figures] identity bad keys in one call: accepted " + answer.get("accepted").asInt()
        + ", rejected " + rejected.size() + " with reasons, rows stored " + inspector.rows("it", run));
  }

  @Test
  void shouldStoreAnIdentityAtEveryMaximumLengthEndToEnd() throws Exception {
    // Given project, run and keys at their limits in multi-byte UTF-8, and a table at the key limit
    // whose media cell gets the longest derived key (a full 255-byte segment)
    String project = fill("P" + UUID.randomUUID(), "é", ItemIdentity.MAX_PROJECT_BYTES);
    String run = fill("R", "日", ItemIdentity.MAX_RUN_BYTES);
    String imageKey = fill("i", "😀", ItemIdentity.MAX_KEY_BYTES);
    String tableKey = fill("t", "日", ItemIdentity.MAX_KEY_BYTES);
    ObjectNode log = JSON.createObjectNode().put("step", 7);
    ObjectNode data = log.putObject("data");
    data.putObject(imageKey).put("_type", "image").put("array", "px");
    ObjectNode table = data.putObject(tableKey).put("_type", "table");
    table.putArray("columns").add("img");
    table.putArray("data").addArray().addObject().put("_type", "image").put("array", "px");

    // When
    HttpResponse<String> response = postRaw(ItemIdentity.encodeSegment(project), ItemIdentity.encodeSegment(run), log,
        Map.of("px", PIXELS));

    // Then every item is a row whose object S3 returns
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).get("accepted").asInt()).isEqualTo(3);
    awaitRowCount(project, run, 3);
    List<String> objectKeys = objectKeysOf(project, run);
    assertThat(objectKeys).hasSize(3).allSatisfy(key -> assertThat(object(key)).isNotEmpty());
    int longest = objectKeys.stream().mapToInt(k -> k.getBytes(StandardCharsets.UTF_8).length).max().orElseThrow();
    assertThat(objectKeys).anySatisfy(key -> assertThat(key).contains(
        "/" + ItemIdentity.encodeSegment(ItemIdentity.tableCellsKey(tableKey)) + "/"));
    assertThat(ItemIdentity.encodedLength(ItemIdentity.tableCellsKey(tableKey)))
        .isEqualTo(ItemIdentity.STORE_MAX_SEGMENT_BYTES);
    System.out.println("[figures] identity at the limits: project " + ItemIdentity.encodedLength(project) + " B, run "
        + ItemIdentity.encodedLength(run) + " B, key " + ItemIdentity.encodedLength(imageKey) + " B, derived cell key "
        + ItemIdentity.encodedLength(ItemIdentity.tableCellsKey(tableKey)) + " B; rows 3, objects " + objectKeys.size()
        + ", longest object key " + longest + " B");
  }

  @Test
  void shouldNeverLetTableCellsAndUserKeysOverwriteEachOther() throws Exception {
    // Given a table whose row 0 is wider than its columns, a user item under "t.cells", a good
    // table "u" with a media cell in each row, and a plain neighbour
    String run = "tables-" + UUID.randomUUID();
    String json = """
        {"step": 1, "data": {
          "t": {"_type": "table", "columns": ["a", "b"],
                "data": [[1, 2, {"_type": "image", "array": "px"}], [{"_type": "image", "array": "px"}, 3]]},
          "t.cells": {"_type": "image", "array": "px"},
          "u": {"_type": "table", "columns": ["id", "img"],
                "data": [[1, {"_type": "image", "array": "px"}], [2, {"_type": "image", "array": "px"}]]},
          "neighbour": {"_type": "html", "html": "<p>kept</p>"}
        }}""";

    // When
    HttpResponse<String> response = postRaw("it", run, (ObjectNode) JSON.readTree(json), Map.of("px", PIXELS));

    // Then the ragged table and the user's t.cells are refused with reasons; the rest is stored, one row each
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode answer = JSON.readTree(response.body());
    assertThat(answer.get("accepted").asInt()).isEqualTo(4);
    assertThat(answer.get("rejected")).hasSize(2);
    assertThat(answer.at("/rejected/0/reason").asText()).isEqualTo("table row 0 has 3 cells but the table has 2 columns: [a, b]");
    assertThat(answer.at("/rejected/1/key").asText()).isEqualTo("t.cells");
    assertThat(answer.at("/rejected/1/reason").asText()).contains("reserved for the media cells of tables");
    awaitRowCount("it", run, 4);
    assertThat(keysAndIndexes("it", run)).containsExactlyInAnyOrder("neighbour/0", "u/0", "u.cells/1", "u.cells/3");
    JsonNode stored = JSON.readTree(object((String) row(run, "u", 1, 0).get("object_key")));
    assertThat(stored.at("/data/0/1/_ref").asText()).endsWith("/u.cells/1/1");
    assertThat(stored.at("/data/1/1/_ref").asText()).endsWith("/u.cells/1/3");
    System.out.println("[figures] identity tables: accepted " + answer.get("accepted").asInt() + ", rejected "
        + answer.get("rejected").size() + " (ragged row, user key t.cells); rows " + keysAndIndexes("it", run));
  }

  // ---- helpers ----------------------------------------------------------------------------

  private static ObjectNode html(String key) {
    ObjectNode log = JSON.createObjectNode().put("step", 0);
    log.putObject("data").putObject(key).put("_type", "html").put("html", "<p>" + key + "</p>");
    return log;
  }

  /** A log call to a path whose project and run segments are sent exactly as given. */
  private static HttpResponse<String> postRaw(String rawProject, String rawRun, ObjectNode log) throws Exception {
    return postRaw(rawProject, rawRun, log, Map.of());
  }

  private static HttpResponse<String> postRaw(String rawProject, String rawRun, ObjectNode log,
      Map<String, byte[]> parts) throws Exception {
    return postRaw(rawProject, rawRun, log.toString(), parts);
  }

  private static HttpResponse<String> postRaw(String rawProject, String rawRun, String logJson,
      Map<String, byte[]> parts) throws Exception {
    LogCallRequest request = new LogCallRequest(logJson);
    parts.forEach((name, data) -> request.part(name, name + ".npy", "application/octet-stream", data));
    URI uri = URI.create(stack.gatewayUrl() + "/v1/projects/" + rawProject + "/runs/" + rawRun + "/log");
    HttpRequest raw = HttpRequest.newBuilder(request.build(stack.gatewayUrl(), "p", "r"), (name, value) -> true)
        .uri(uri).build();
    return HTTP.send(raw, HttpResponse.BodyHandlers.ofString());
  }

  private static String error(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body()).get("error").asText();
  }

  /** {@code start} followed by as many {@code unit}s as fit, then ASCII up to exactly {@code bytes} encoded bytes. */
  private static String fill(String start, String unit, int bytes) {
    StringBuilder name = new StringBuilder(start);
    while (ItemIdentity.encodedLength(name + unit) <= bytes) {
      name.append(unit);
    }
    while (ItemIdentity.encodedLength(name.toString()) < bytes) {
      name.append('x');
    }
    assertThat(ItemIdentity.encodedLength(name.toString())).isEqualTo(bytes);
    return name.toString();
  }

  private static void awaitRowCount(String project, String run, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (inspector.rows(project, run) < expected && System.nanoTime() < deadline) {
      Thread.sleep(250);
    }
    assertThat(inspector.rows(project, run)).isEqualTo(expected);
  }

  private static List<String> deadLetterKeys(String run, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<String> keys = new ArrayList<>();
    while (keys.size() < expected && System.nanoTime() < deadline) {
      keys.clear();
      inspector.deadLetters().stream().filter(h -> run.equals(h.get(DeadLetters.RUN)))
          .forEach(h -> keys.add(h.get(DeadLetters.KEY)));
      Thread.sleep(250);
    }
    return keys;
  }

  private static List<String> objectKeysOf(String project, String run) throws SQLException {
    return query("SELECT object_key FROM media_item WHERE project = ? AND run = ?", project, run);
  }

  private static List<String> keysAndIndexes(String project, String run) throws SQLException {
    return query("SELECT log_key || '/' || item_index FROM media_item WHERE project = ? AND run = ?", project, run);
  }

  private static List<String> query(String sql, String project, String run) throws SQLException {
    try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), "postgres", null);
        PreparedStatement q = c.prepareStatement(sql)) {
      q.setString(1, project);
      q.setString(2, run);
      List<String> values = new ArrayList<>();
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          values.add(rs.getString(1));
        }
      }
      return values;
    }
  }
}
