package dev.mediaflow.ops.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.schemas.deadletter.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

  @Test
  void shouldPrintPositionStageItemReasonAndSourceOnOneLine() {
    // Given a transform-stage letter
    DeadLetter letter = new DeadLetter("mediaflow.deadletter", 0, 17, 0L, "k".getBytes(StandardCharsets.UTF_8),
        new byte[] {1}, Map.of(
            DeadLetters.STAGE, "transform",
            DeadLetters.REASON, "unsupported shape\n[4, 4, 5]",
            DeadLetters.PROJECT, "my project", DeadLetters.RUN, "run/1", DeadLetters.KEY, "examples",
            DeadLetters.STEP, "2", DeadLetters.INDEX, "1",
            DeadLetters.SOURCE_TOPIC, "mediaflow.media.raw", DeadLetters.SOURCE_PARTITION, "3",
            DeadLetters.SOURCE_OFFSET, "42"));

    // When / Then
    assertThat(letter.line()).isEqualTo(
        "0:17\ttransform\tmy%20project/run%2F1/examples/2/1\tunsupported shape [4, 4, 5]\tmediaflow.media.raw-3@42");
    assertThat(letter.sourcePartition()).isEqualTo(3);
  }

  @Test
  void shouldFallBackToTheRecordKeyWithoutIdentityHeaders() {
    DeadLetter poison = new DeadLetter("t", 0, 1, 0L, "raw-key".getBytes(StandardCharsets.UTF_8), new byte[0],
        Map.of(DeadLetters.STAGE, "transform"));

    assertThat(poison.identity()).isEqualTo("raw-key");
    assertThat(poison.source()).isEqualTo("-");
    assertThat(poison.sourcePartition()).isEqualTo(-1);
    assertThat(new DeadLetterFilter(null, "p", null).matches(poison)).isFalse();
    assertThat(new DeadLetterFilter("transform", null, null).matches(poison)).isTrue();
  }
}
