package dev.mediaflow.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.ingest.logcall.LogCallParser;
import dev.mediaflow.ingest.logcall.LogCallParser.Part;
import dev.mediaflow.ingest.logcall.LoggedItem;
import dev.mediaflow.schemas.deadletter.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestDeadLettersTest {
  private final LogCallParser parser = new LogCallParser("test");

  @Test
  void shouldHoldTheItemAsReceivedAsAOneItemLogCallThatReparsesToTheSameIdentity() {
    // Given a call whose second item names a part that is not a .npy file (spacing kept as sent)
    String hostile = "{ \"_type\":\"image\",   \"array\": \"bad\", \"caption\": 1.50 }";
    String log = "{\"step\": 7, \"timestamp\": 1700000000000, \"data\": {\"k\": [{\"_type\": \"html\", \"html\": \"x\"}, "
        + hostile + "]}}";
    byte[] bad = "not numpy at all".getBytes(StandardCharsets.UTF_8);
    Map<String, Part> parts = parts(log, new Part("bad", "bad.npy", bad));
    LoggedItem rejected = parser.parse("p", "r", log, parts).get(1);

    // When
    IngestDeadLetters.Letter letter = new IngestDeadLetters(log, parts, 1 << 20).of(rejected, rejected.rejection());

    // Then the value holds the item's JSON byte for byte and the part's bytes, under the same identity
    String value = new String(letter.value(), StandardCharsets.ISO_8859_1);
    assertThat(value).contains("{\"step\": 7, \"timestamp\": 1700000000000, \"first_index\": 1, \"data\": {\"k\": "
        + hostile + "}}");
    assertThat(value).contains("name=\"bad\"; filename=\"bad.npy\"").contains("not numpy at all");
    assertThat(DeadLetters.header(letter.headers(), DeadLetters.CONTENT_TYPE)).startsWith("multipart/form-data; boundary=");
    assertThat(DeadLetters.header(letter.headers(), DeadLetters.INDEX)).isEqualTo("1");
    assertThat(DeadLetters.header(letter.headers(), DeadLetters.STAGE)).isEqualTo("ingest");
    int logStart = value.indexOf("{\"step\"");
    String relogged = value.substring(logStart, value.indexOf("\r\n--", logStart));
    List<LoggedItem> again = parser.parse("p", "r", relogged, parts);
    assertThat(again).singleElement().satisfies(i -> assertThat(i.identity()).isEqualTo(rejected.identity()));
  }

  @Test
  void shouldWriteASummaryItemsLetterAsASummaryCallWithoutAStep() {
    // Given a summary call whose second item names a part that is not a .npy file
    String log = "{\"data\": {\"k\": [{\"_type\": \"html\", \"html\": \"x\"}, {\"_type\": \"image\", \"array\": \"bad\"}]}}";
    Map<String, Part> parts = parts(log, new Part("bad", "bad.npy", "no".getBytes(StandardCharsets.UTF_8)));
    LoggedItem rejected = parser.parse("p", "r", log, parts, true).get(1);

    // When
    IngestDeadLetters.Letter letter = new IngestDeadLetters(log, parts, 1 << 20).of(rejected, rejected.rejection());

    // Then the letter has no step, and re-posted as a summary call it is the same identity (step -1)
    String value = new String(letter.value(), StandardCharsets.ISO_8859_1);
    int logStart = value.indexOf("{\"first_index\"");
    assertThat(logStart).isNotNegative();
    String relogged = value.substring(logStart, value.indexOf("\r\n--", logStart));
    assertThat(relogged).doesNotContain("\"step\"");
    assertThat(parser.parse("p", "r", relogged, parts, true)).singleElement()
        .satisfies(i -> assertThat(i.identity()).isEqualTo(rejected.identity()));
  }

  @Test
  void shouldCopyAPartIntoOneCallsLettersNoMoreThanTheCallCarried() {
    // Given two rejected items naming the same 1,000-byte part
    String log = "{\"step\": 0, \"data\": {\"k\": [{\"_type\": \"image\", \"array\": \"bad\"},"
        + " {\"_type\": \"image\", \"array\": \"bad\"}]}}";
    Map<String, Part> parts = parts(log, new Part("bad", "bad.npy", new byte[1000]));
    List<LoggedItem> items = parser.parse("p", "r", log, parts);
    IngestDeadLetters letters = new IngestDeadLetters(log, parts, 1 << 20);

    // When
    IngestDeadLetters.Letter first = letters.of(items.get(0), items.get(0).rejection());
    IngestDeadLetters.Letter second = letters.of(items.get(1), items.get(1).rejection());

    // Then the first letter carries the part, the second says why it does not
    assertThat(first.value().length).isGreaterThan(1000);
    assertThat(second.value().length).isLessThan(1000);
    assertThat(DeadLetters.header(second.headers(), DeadLetters.REASON)).contains("dead letter holds the log JSON only");
  }

  private static Map<String, Part> parts(String log, Part part) {
    Map<String, Part> parts = new LinkedHashMap<>();
    parts.put("log", new Part("log", "log.json", log.getBytes(StandardCharsets.UTF_8)));
    parts.put(part.name(), part);
    return parts;
  }
}
