package dev.mediaflow.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediaflow.ops.OpsStack.Result;
import dev.mediaflow.schemas.deadletter.DeadLetters;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mediaflow-ops deadletters list|redrive} against the real embedded stack. */
class DeadLettersIT {
  @TempDir
  static Path dir;

  static OpsStack ops;

  @BeforeAll
  static void start() throws Exception {
    ops = OpsStack.start(dir);
  }

  @AfterAll
  static void stop() {
    if (ops != null) {
      ops.close();
    }
  }

  @Test
  void shouldListDeadLettersAndReDriveEachOnce() throws Exception {
    // Given a call with a good image, a 5-channel array (refused by the transform) and an item
    // naming a missing part (refused by the gateway: an ingest-stage letter)
    String run = "dl-" + UUID.randomUUID().toString().substring(0, 8);
    LoggedImages call = LoggedImages.step(run, 0, true);
    call.log.with("data").putObject("missing").put("_type", "image").put("array", "absent");
    JsonNode answer = ops.log("dl-it", run, call.log, call.parts);
    assertThat(answer.get("rejected")).hasSize(1);
    ops.awaitRows("dl-it", run, LoggedImages.PER_STEP);
    ops.awaitDeadLetters(run, 2);

    // When they are listed
    Result all = ops.ops("deadletters", "list", "--project", "dl-it", "--run", run);
    Result transform = ops.ops("deadletters", "list", "--stage", "transform", "--run", run);

    // Then one line each: position, stage, item, reason, source
    assertThat(all.out()).contains("2 of 2 matching dead letters shown (mediaflow.deadletter)")
        .contains("\tingest\tdl-it/" + run + "/missing/0/0\t");
    assertThat(transform.out().lines().filter(l -> l.contains("\t")).toList()).singleElement()
        .satisfies(line -> assertThat(line).matches("0:\\d+\ttransform\tdl-it/" + run
            + "/bad/0/0\tunsupported shape.*\tmediaflow\\.media\\.raw-\\d+@\\d+"));

    // When sink-stage letters are re-driven first (there are none), then this run's transform-stage ones
    Result sink = ops.ops("deadletters", "redrive", "--stage", "sink");
    Result redrive = ops.ops("deadletters", "redrive", "--stage", "transform", "--project", "dl-it", "--run", run);

    // Then the sink redrive passed the ingest letter, which cannot be re-driven, and left the transform
    // letter for later; the transform redrive re-produced it
    assertThat(sink.number("re-driven")).isZero();
    assertThat(sink.out()).contains("skipped: 1 ingest-stage letters cannot be re-driven");
    assertThat(redrive.number("re-driven")).isEqualTo(1);
    assertThat(redrive.out()).contains("re-driven 0:").contains("dl-it/" + run + "/bad/0/0 -> mediaflow.media.raw-");
    // and the unchanged transform refuses it again: one more letter, marked as coming from the redrive
    List<Map<String, String>> letters = ops.awaitDeadLetters(run, 3);
    assertThat(letters.get(2).get(DeadLetters.STAGE)).isEqualTo("transform");
    assertThat(letters.get(2).get(DeadLetters.REDRIVEN_FROM)).startsWith("mediaflow.deadletter-0@");
    assertThat(ops.rowsOf("dl-it", run)).isEqualTo(LoggedImages.PER_STEP);

    // When the same redrive runs again, and then one for every project
    Result again = ops.ops("deadletters", "redrive", "--stage", "transform", "--project", "dl-it", "--run", run);
    Result everything = ops.ops("deadletters", "redrive", "--stage", "transform");

    // Then nothing new is re-driven: the first letter was done, the new one is a repeated rejection
    assertThat(again.number("re-driven")).isZero();
    assertThat(again.out()).contains("left: 1 rejected again after an earlier redrive");
    assertThat(everything.number("re-driven")).isZero();
    Thread.sleep(2_000);
    assertThat(ops.deadLetters(run)).hasSize(3);
    assertThat(ops.ops("deadletters", "list", "--run", run, "--stage", "transform").out())
        .contains("re-driven from mediaflow.deadletter-0@");
  }
}
