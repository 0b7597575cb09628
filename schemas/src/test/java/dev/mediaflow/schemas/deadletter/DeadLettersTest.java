package dev.mediaflow.schemas.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.schemas.avro.MediaIdentity;
import dev.mediaflow.schemas.deadletter.DeadLetters.SourcePosition;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
  @Test
  void shouldNameStageReasonIdentityAndSource() {
    var headers = DeadLetters.headers("sink", "bad", new IllegalStateException("x"),
        new MediaIdentity("p", "r", "k", 3L, 2), new SourcePosition("t", 1, 42L));
    assertThat(DeadLetters.header(headers, DeadLetters.STAGE)).isEqualTo("sink");
    assertThat(DeadLetters.header(headers, DeadLetters.REASON)).isEqualTo("bad");
    assertThat(DeadLetters.header(headers, DeadLetters.EXCEPTION)).isEqualTo("java.lang.IllegalStateException");
    assertThat(DeadLetters.header(headers, DeadLetters.STEP)).isEqualTo("3");
    assertThat(DeadLetters.header(headers, DeadLetters.INDEX)).isEqualTo("2");
    assertThat(DeadLetters.header(headers, DeadLetters.SOURCE_OFFSET)).isEqualTo("42");
  }

  @Test
  void shouldCarryTheRedriveMarkerOfARejectedRecordOnly() {
    // Given a re-driven record and a fresh one
    var redriven = new RecordHeaders().add(DeadLetters.REDRIVEN_FROM, "dlq-0@7".getBytes(StandardCharsets.UTF_8));

    // When / Then
    var again = DeadLetters.withRedriveMarker(DeadLetters.headers("sink", "r", null, null, null), redriven);
    assertThat(DeadLetters.header(again, DeadLetters.REDRIVEN_FROM)).isEqualTo("dlq-0@7");
    var fresh = DeadLetters.withRedriveMarker(DeadLetters.headers("sink", "r", null, null, null), new RecordHeaders());
    assertThat(DeadLetters.header(fresh, DeadLetters.REDRIVEN_FROM)).isNull();
  }
}
