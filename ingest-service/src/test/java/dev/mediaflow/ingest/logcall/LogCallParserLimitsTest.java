package dev.mediaflow.ingest.logcall;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.ingest.logcall.LogCallParser.Part;
import dev.mediaflow.ingest.npy.NpyWriter;
import dev.mediaflow.schemas.avro.AudioPayload;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One hostile item per call: it gets its reason, its neighbour is accepted, nothing escapes as the call's failure. */
class LogCallParserLimitsTest {
  private static final String GOOD = "{\"_type\": \"image\", \"array\": \"good\"}";

  private final LogCallParser parser = new LogCallParser("test");

  static Stream<Arguments> hostileItems() {
    return Stream.of(
        Arguments.of("npy shape overflowing 64 bits", "{\"_type\": \"image\", \"array\": \"huge\"}", "overflows a 64-bit"),
        Arguments.of("npy shape overflowing to 0", "{\"_type\": \"histogram\", \"sequence\": \"zero\"}", "overflows a 64-bit"),
        Arguments.of("npy dimension of 2^63", "{\"_type\": \"image\", \"array\": \"big\"}", "above 2^63 - 1"),
        Arguments.of("npy non-numeric dimension", "{\"_type\": \"image\", \"array\": \"nan\"}", "not a non-negative integer"),
        Arguments.of("inline array whose first elements claim 10^9 elements",
            "{\"_type\": \"audio\", \"sample_rate\": 8000, \"samples\": " + lyingNest(9, 10) + "}",
            "more than the 1000000 elements allowed inline; send larger arrays as .npy parts"),
        Arguments.of("inline array of shape [16384, 32768] (the issue's case)",
            "{\"_type\": \"audio\", \"sample_rate\": 8000, \"samples\": [[" + zeros(32768) + "]" + ", []".repeat(16383) + "]}",
            "inline array of shape [16384, 32768]"),
        Arguments.of("ragged inline array", "{\"_type\": \"audio\", \"sample_rate\": 8000, \"samples\": [[1, 2], [3]]}",
            "ragged list"),
        Arguments.of("inline array nested beyond 64 levels",
            "{\"_type\": \"audio\", \"sample_rate\": 8000, \"samples\": " + "[".repeat(65) + "]".repeat(65) + "}",
            "nested more than 64 levels"),
        Arguments.of("inline array holding a string", "{\"_type\": \"audio\", \"sample_rate\": 8000, \"samples\": [1, \"x\"]}",
            "holds a non-number"),
        Arguments.of("a part map failing unexpectedly", "{\"_type\": \"image\", \"array\": \"boom\"}",
            "cannot read item: java.lang.IllegalStateException: boom"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileItems")
  void shouldRejectTheHostileItemOnlyWithItsReason(String name, String hostile, String reason) {
    // Given a call whose first item is hostile and whose second is good
    String log = "{\"step\": 1, \"data\": {\"k\": [" + hostile + ", " + GOOD + "]}}";

    // When
    List<LoggedItem> items = parser.parse("p", "r", log, parts());

    // Then
    assertThat(items).hasSize(2);
    assertThat(items.get(0).rejection()).contains(reason);
    assertThat(items.get(1).isAccepted()).isTrue();
    assertThat(items.get(1).identity().getIndex()).isEqualTo(1);
  }

  @Test
  void shouldAcceptAnInlineArrayAtTheBudget() {
    // Given exactly 1,000,000 elements inline (1000 x 1000)
    String row = "[" + zeros(1000) + "]";
    String samples = "[" + String.join(",", java.util.Collections.nCopies(1000, row)) + "]";
    String log = "{\"step\": 1, \"data\": {\"a\": {\"_type\": \"audio\", \"sample_rate\": 8000, \"samples\": " + samples + "}}}";

    // When
    List<LoggedItem> items = parser.parse("p", "r", log, parts());

    // Then
    assertThat(items.get(0).isAccepted()).as(items.get(0).rejection()).isTrue();
    AudioPayload audio = (AudioPayload) items.get(0).event().getPayload();
    assertThat(audio.getSamples().getShape()).containsExactly(1000L, 1000L);
    assertThat(audio.getSamples().getData().remaining()).isEqualTo(8_000_000);
  }

  @Test
  void shouldSkipListsAndDictsOfPlainScalarsLikeScalars() {
    // Given plain data next to one image
    String log = "{\"step\": 2, \"data\": {\"lr\": [0.1, 0.2], \"metrics\": {\"a\": 1, \"b\": [1, 2]},"
        + " \"empty\": {}, \"none\": [], \"names\": [\"x\", null, true], \"loss\": 0.5, \"img\": " + GOOD + "}}";

    // When
    List<LoggedItem> items = parser.parse("p", "r", log, parts());

    // Then only the image is an item, and it is accepted
    assertThat(items).singleElement().satisfies(item -> {
      assertThat(item.identity().getKey()).isEqualTo("img");
      assertThat(item.isAccepted()).isTrue();
    });
  }

  @Test
  void shouldStillReadAListMixingScalarsAndMediaAsItems() {
    String log = "{\"step\": 2, \"data\": {\"k\": [0.5, " + GOOD + "]}}";
    List<LoggedItem> items = parser.parse("p", "r", log, parts());
    assertThat(items).hasSize(2);
    assertThat(items.get(0).rejection()).contains("must be an object");
    assertThat(items.get(1).isAccepted()).isTrue();
  }

  @Test
  void shouldNumberItemsFromTheCallsFirstIndex() {
    String log = "{\"step\": 2, \"first_index\": 5, \"data\": {\"k\": [" + GOOD + ", " + GOOD + "], \"one\": " + GOOD + "}}";
    List<LoggedItem> items = parser.parse("p", "r", log, parts());
    assertThat(items).extracting(i -> i.identity().getIndex()).containsExactly(5, 6, 5);
  }

  private static Map<String, Part> parts() {
    Map<String, Part> parts = new HashMap<>() {
      @Override
      public Part get(Object key) {
        if ("boom".equals(key)) {
          throw new IllegalStateException("boom");
        }
        return super.get(key);
      }
    };
    parts.put("good", new Part("good", "good.npy", NpyWriter.write("uint8", new long[] {2, 2}, new byte[4])));
    parts.put("huge", npyPart("huge", "|u1", "(4294967296, 4294967296, 3)"));
    parts.put("zero", npyPart("zero", "<f8", "(2305843009213693952,)"));
    parts.put("big", npyPart("big", "|u1", "(9223372036854775808, 1)"));
    parts.put("nan", npyPart("nan", "|u1", "(nan, 3)"));
    return parts;
  }

  private static Part npyPart(String name, String descr, String shape) {
    String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }\n";
    byte[] head = header.getBytes(StandardCharsets.ISO_8859_1);
    byte[] file = new byte[10 + head.length];
    System.arraycopy(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) head.length, 0}, 0, file, 0, 10);
    System.arraycopy(head, 0, file, 10, head.length);
    return new Part(name, name + ".npy", file);
  }

  /** {@code levels} nested lists of {@code width} elements whose first element only holds the next level. */
  static String lyingNest(int levels, int width) {
    String inner = "0";
    for (int i = 0; i < levels; i++) {
      inner = "[" + inner + ", []".repeat(width - 1) + "]";
    }
    return inner;
  }

  private static String zeros(int n) {
    return String.join(",", java.util.Collections.nCopies(n, "0"));
  }
}
