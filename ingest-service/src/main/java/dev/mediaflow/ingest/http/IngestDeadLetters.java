package dev.mediaflow.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.mediaflow.ingest.client.LogCallRequest;
import dev.mediaflow.ingest.logcall.LogCallParser.Part;
import dev.mediaflow.ingest.logcall.LoggedItem;
import dev.mediaflow.schemas.deadletter.DeadLetters;
import dev.mediaflow.schemas.identity.ItemIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.Headers;

/**
 * The dead letters of one log call's rejected items. A letter's value is what the gateway
 * received for the item, as a complete one-item log call (multipart/form-data, its media type
 * in header {@link DeadLetters#CONTENT_TYPE}): a {@code log} part
 * {@code {"step", "timestamp", "first_index", "data": {key: <the item's JSON as received>}}} and,
 * byte for byte, every request part the item names. Posting it back to
 * {@code /v1/projects/{project}/runs/{run}/log} re-drives the item under the same identity; a
 * summary item's letter has no {@code step} and goes back to {@code .../summary}.
 *
 * <p>So that a hostile call cannot multiply its size on the dead-letter topic (many items naming
 * one large part), the parts copied into one call's letters add up to at most the call's own
 * part bytes, and one letter to at most the largest record; beyond that a letter holds the
 * {@code log} part only and its reason says so.
 */
final class IngestDeadLetters {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Part> parts;
  private final String logJson;
  private final int maxRecordBytes;
  private ReceivedItems received;
  private long partBudget;

  IngestDeadLetters(String logJson, Map<String, Part> parts, int maxRecordBytes) {
    this.logJson = logJson;
    this.parts = parts;
    this.maxRecordBytes = maxRecordBytes;
    this.partBudget = parts.values().stream().mapToLong(p -> p.data().length).sum();
  }

  /** One letter: value, and headers with stage, reason, item identity and the value's media type. */
  record Letter(byte[] value, Headers headers) {}

  Letter of(LoggedItem item, String reason) {
    Set<String> named = namedParts(item.spec());
    long partBytes = named.stream().mapToLong(n -> parts.get(n).data().length).sum();
    String why = reason;
    LogCallRequest body = request(item);
    long headRoom = 1024L * (named.size() + 1); // part headers and the closing boundary
    if (partBytes <= partBudget && body.body().length + partBytes + headRoom <= maxRecordBytes) {
      partBudget -= partBytes;
      named.forEach(n -> body.part(n, parts.get(n).fileName(), "application/octet-stream", parts.get(n).data()));
    } else if (!named.isEmpty()) {
      why = reason + " [dead letter holds the log JSON only: the parts it names (" + partBytes
          + " bytes) are above this call's dead-letter budget or the record size limit]";
    }
    Headers headers = DeadLetters.headers("ingest", why, null, item.identity(), null);
    headers.add(DeadLetters.CONTENT_TYPE, body.contentType().getBytes(StandardCharsets.UTF_8));
    return new Letter(body.body(), headers);
  }

  private LogCallRequest request(LoggedItem item) {
    if (received == null) {
      received = ReceivedItems.of(logJson);
    }
    var id = item.identity();
    StringBuilder log = new StringBuilder("{");
    if (id.getStep() != ItemIdentity.SUMMARY_STEP) { // a summary item's letter is a summary call: no step
      log.append("\"step\": ").append(id.getStep()).append(", ");
    }
    if (received.timestamp() != null) {
      log.append("\"timestamp\": ").append(received.timestamp()).append(", ");
    }
    if (id.getIndex() != 0) {
      log.append("\"first_index\": ").append(id.getIndex()).append(", ");
    }
    log.append("\"data\": {").append(JsonNodeFactory.instance.textNode(id.getKey())).append(": ")
        .append(itemText(item)).append("}}");
    return new LogCallRequest(log.toString());
  }

  /** The item's JSON as received, else (a table cell) as parsed. */
  private String itemText(LoggedItem item) {
    var id = item.identity();
    String text = received.item(id.getKey(), id.getIndex() - received.firstIndex());
    if (text != null && item.spec() != null && sameJson(text, item.spec())) {
      return text;
    }
    return item.spec() == null ? "null" : item.spec().toString();
  }

  /** Guards against a span that is not this item (a cell whose key a user also logged). */
  private static boolean sameJson(String text, JsonNode spec) {
    try {
      return JSON.readTree(text).equals(spec);
    } catch (IOException e) {
      return false;
    }
  }

  /** Names of the request parts the item's JSON mentions anywhere (array, file, masks, scene...). */
  private Set<String> namedParts(JsonNode spec) {
    Set<String> named = new LinkedHashSet<>();
    Deque<JsonNode> todo = new ArrayDeque<>();
    if (spec != null) {
      todo.push(spec);
    }
    while (!todo.isEmpty()) {
      JsonNode node = todo.pop();
      if (node.isTextual() && parts.containsKey(node.asText()) && !node.asText().equals("log")) {
        named.add(node.asText());
      }
      node.forEach(todo::push);
    }
    return named;
  }
}
