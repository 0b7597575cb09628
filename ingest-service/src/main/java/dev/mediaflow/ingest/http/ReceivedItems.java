package dev.mediaflow.ingest.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each item of a log call sits in the {@code log} part's text, so a dead letter can hold
 * the item's JSON exactly as the client sent it (not a re-serialization). Read lazily, only when
 * a call has rejected items; a text it cannot read yields no spans (callers fall back).
 */
final class ReceivedItems {
  private static final JsonFactory FACTORY = new JsonFactory();

  private final String text;
  /** data key → [start, end) of each list element, or of the single value. */
  private final Map<String, List<int[]>> spans = new HashMap<>();
  private String timestamp;
  private int firstIndex;

  private ReceivedItems(String text) {
    this.text = text;
  }

  static ReceivedItems of(String logJson) {
    ReceivedItems received = new ReceivedItems(logJson);
    try (JsonParser parser = FACTORY.createParser(logJson)) {
      received.readRoot(parser);
    } catch (IOException | RuntimeException e) {
      received.spans.clear(); // unreadable here: callers use the parsed form instead
    }
    return received;
  }

  /** The item's JSON text as received, or null when unknown (a table cell, an unreadable call). */
  String item(String key, int position) {
    List<int[]> list = spans.get(key);
    if (list == null || position < 0 || position >= list.size() || list.get(position) == null) {
      return null;
    }
    int[] span = list.get(position);
    return text.substring(span[0], span[1]);
  }

  /** The call's {@code "first_index"} (0 when absent): list position {@code p} is index {@code firstIndex + p}. */
  int firstIndex() {
    return firstIndex;
  }

  /** The call's {@code "timestamp"} number as received, or null. */
  String timestamp() {
    return timestamp;
  }

  private void readRoot(JsonParser parser) throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      return;
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (field.equals("data") && value == JsonToken.START_OBJECT) {
        spans.clear(); // a repeated "data": the last one counts, as for the parsed tree
        readData(parser);
      } else if (field.equals("timestamp") && value.isNumeric()) {
        timestamp = parser.getText();
      } else if (field.equals("first_index") && value == JsonToken.VALUE_NUMBER_INT) {
        firstIndex = parser.getIntValue();
      } else {
        parser.skipChildren();
      }
    }
  }

  private void readData(JsonParser parser) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      List<int[]> list = new ArrayList<>();
      if (parser.nextToken() == JsonToken.START_ARRAY) {
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          list.add(span(parser));
        }
      } else {
        list.add(span(parser));
      }
      spans.put(key, list);
    }
  }

  /** The span of the structured value at the current token (null for a scalar), skipping it. */
  private static int[] span(JsonParser parser) throws IOException {
    if (!parser.currentToken().isStructStart()) {
      return null;
    }
    int start = (int) parser.currentTokenLocation().getCharOffset();
    parser.skipChildren();
    int end = (int) parser.currentLocation().getCharOffset();
    return new int[] {start, end};
  }
}
