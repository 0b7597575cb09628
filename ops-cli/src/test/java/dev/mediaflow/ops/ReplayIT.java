package dev.mediaflow.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mediaflow.embedded.EmbeddedStack;
import dev.mediaflow.ops.OpsStack.Result;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mediaflow-ops replay} against the real embedded stack: items logged over HTTP, stored
 * by the regular pipeline, then replayed into new targets and in place.
 */
class ReplayIT {
  static final String TIMEOUT = "3m";

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
  void shouldReplayTwiceIntoNewTargetsWithIdenticalObjectsAndRowsAndChangeNothingWhenRunAgain() throws Exception {
    // Given a run of images, one of them bad, stored by the regular pipeline
    String run = "full-" + suffix();
    for (int step = 0; step < 3; step++) {
      log("replay-it", run, LoggedImages.step(run, step, step == 0));
    }
    ops.awaitRows("replay-it", run, 3 * LoggedImages.PER_STEP);
    ops.awaitDeadLetters(run, 1);
    String a = "a-" + suffix();
    String urlA = sqlite("a-" + a);
    String urlB = sqlite("b-" + a);

    // When the whole raw topic is replayed into two new targets
    Result first = ops.ops("replay", "--name", a, "--from-beginning", "--target-bucket", "replay-a",
        "--target-prefix", "media", "--target-jdbc-url", urlA, "--progress-interval", "1s", "--timeout", TIMEOUT);
    Result second = ops.ops("replay", "--name", "b-" + suffix(), "--target-prefix", "replay-b/media",
        "--target-jdbc-url", urlB, "--timeout", TIMEOUT);

    // Then both read every raw event, stored every good item and dead-lettered the bad one
    List<Map<String, String>> original = withoutStoredAt(OpsStack.rows(ops.stack.jdbcUrl()));
    for (Result replay : List.of(first, second)) {
      assertThat(replay.number("raw events read")).isEqualTo(replay.number("range")).isPositive();
      assertThat(replay.number("items stored")).isEqualTo(original.size());
      assertThat(replay.number("dead-lettered")).isEqualTo(1);
    }
    assertThat(first.out()).contains("replay " + a + ": transform read ").contains("raw events (100%)")
        .contains("replay " + a + ": sink (group mediaflow-replay-" + a + "-sink) has consumed replay-" + a
            + ".mediaflow.media.processed to the end");
    // and the objects are the regular ones, byte for byte, under each target's prefix
    Map<String, String> objects = ops.objects(EmbeddedStack.BUCKET, "media");
    assertThat(objects).hasSize(original.size());
    assertThat(ops.objects("replay-a", "media")).isEqualTo(objects);
    assertThat(ops.objects(EmbeddedStack.BUCKET, "replay-b/media")).isEqualTo(objects);
    // and the rows are equal in every column but stored_at (object keys differ by the prefix only)
    assertThat(withoutStoredAt(OpsStack.rows(urlA))).isEqualTo(original);
    List<Map<String, String>> rowsB = withoutStoredAt(OpsStack.rows(urlB));
    assertThat(rowsB).allSatisfy(r -> assertThat(r.get("object_key")).startsWith("replay-b/media/"));
    assertThat(withPrefix(rowsB, "replay-b/media/", "media/")).isEqualTo(original);

    // When replay A runs again
    List<Map<String, String>> rowsA = OpsStack.rows(urlA);
    Result again = ops.ops("replay", "--name", a, "--target-bucket", "replay-a", "--target-prefix", "media",
        "--target-jdbc-url", urlA, "--timeout", TIMEOUT);

    // Then it resumes at the end: nothing read, nothing written, every row as it was (stored_at too)
    assertThat(again.out()).contains("resuming replay " + a);
    assertThat(again.number("raw events read")).isZero();
    assertThat(again.number("items stored")).isZero();
    assertThat(OpsStack.rows(urlA)).isEqualTo(rowsA);
    assertThat(ops.objects("replay-a", "media")).isEqualTo(objects);
    // and the bad item is on the replay's own dead-letter topic
    Result letters = ops.ops("deadletters", "list", "--replay", a, "--run", run);
    assertThat(letters.out()).contains("\ttransform\treplay-it/" + run + "/bad/0/0\tunsupported shape")
        .contains("1 of 1 matching dead letters shown (replay-" + a + ".mediaflow.deadletter)");
  }

  @Test
  void shouldReplayOnlyTheProjectAndRunAskedFor() throws Exception {
    // Given two runs of one project and a run of another
    String p = "filter-p-" + suffix();
    String q = "filter-q-" + suffix();
    for (String[] projectRun : new String[][] {{p, "r1"}, {p, "r2"}, {q, "r1"}}) {
      log(projectRun[0], projectRun[1], LoggedImages.step(projectRun[0] + projectRun[1], 0, false));
      ops.awaitRows(projectRun[0], projectRun[1], LoggedImages.PER_STEP);
    }
    String urlC = sqlite("c-" + p);
    String urlD = sqlite("d-" + p);

    // When one run, then the whole project, is replayed
    Result oneRun = ops.ops("replay", "--name", "c-" + suffix(), "--project", p, "--run", "r1",
        "--target-bucket", "replay-c", "--target-jdbc-url", urlC, "--timeout", TIMEOUT);
    Result project = ops.ops("replay", "--name", "d-" + suffix(), "--project", p,
        "--target-bucket", "replay-d", "--target-jdbc-url", urlD, "--timeout", TIMEOUT);

    // Then each target holds exactly that; other items are skipped, not dead-lettered
    assertThat(runsOf(OpsStack.rows(urlC))).containsExactly(p + "/r1");
    assertThat(OpsStack.rows(urlC)).hasSize(LoggedImages.PER_STEP);
    assertThat(ops.objects("replay-c", "media").keySet()).hasSize(LoggedImages.PER_STEP)
        .allSatisfy(k -> assertThat(k).startsWith(p + "/r1/"));
    assertThat(runsOf(OpsStack.rows(urlD))).containsExactlyInAnyOrder(p + "/r1", p + "/r2");
    assertThat(OpsStack.rows(urlD)).hasSize(2 * LoggedImages.PER_STEP);
    assertThat(oneRun.number("items stored")).isEqualTo(LoggedImages.PER_STEP);
    assertThat(oneRun.number("skipped by filter")).isEqualTo(oneRun.number("raw events read") - LoggedImages.PER_STEP);
    assertThat(oneRun.number("dead-lettered")).isZero();
    assertThat(project.number("items stored")).isEqualTo(2 * LoggedImages.PER_STEP);
  }

  @Test
  void shouldReplayOnlyEventsLoggedFromTheTimestampOn() throws Exception {
    // Given a run logged before a moment and one logged after it
    String project = "time-" + suffix();
    log(project, "before", LoggedImages.step("before", 0, false));
    ops.awaitRows(project, "before", LoggedImages.PER_STEP);
    Thread.sleep(50);
    Instant from = Instant.now();
    Thread.sleep(50);
    log(project, "after", LoggedImages.step("after", 0, false));
    ops.awaitRows(project, "after", LoggedImages.PER_STEP);
    String url = sqlite("e-" + project);

    // When
    Result replay = ops.ops("replay", "--name", "e-" + suffix(), "--from-timestamp", from.toString(),
        "--target-bucket", "replay-e", "--target-jdbc-url", url, "--timeout", TIMEOUT);

    // Then only the later run is read and stored
    assertThat(replay.number("raw events read")).isEqualTo(LoggedImages.PER_STEP);
    assertThat(runsOf(OpsStack.rows(url))).containsExactly(project + "/after");
  }

  @Test
  void shouldReplayInPlaceWithoutChangingWhatIsStored() throws Exception {
    // Given a stored run
    String project = "in-place-" + suffix();
    log(project, "r", LoggedImages.step(project, 0, false));
    ops.awaitRows(project, "r", LoggedImages.PER_STEP);
    List<Map<String, String>> rows = rowsOf(project);
    Map<String, String> objects = ops.objects(EmbeddedStack.BUCKET, "media/" + project);

    // When it is replayed in place (through the regular sink)
    Result replay = ops.ops("replay", "--name", "in-place-" + suffix(), "--in-place", "--project", project,
        "--run", "r", "--timeout", TIMEOUT);

    // Then the regular sink stored it again, leaving every row (stored_at too) and object as they were
    assertThat(replay.number("items handed to the regular sink")).isEqualTo(LoggedImages.PER_STEP);
    assertThat(rowsOf(project)).isEqualTo(rows);
    assertThat(ops.objects(EmbeddedStack.BUCKET, "media/" + project)).isEqualTo(objects);
  }

  @Test
  void shouldReplayIntoAPostgresSchemaWithTheSameRows() throws Exception {
    // Given a stored run, and PostgreSQL at 127.0.0.1:5432 (skipped without it)
    String server = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    try (Connection c = DriverManager.getConnection(server)) {
      assertThat(c.isValid(5)).isTrue();
    } catch (SQLException e) {
      System.err.println("SKIPPED: PostgreSQL at 127.0.0.1:5432 is unreachable: " + e.getMessage());
      assumeTrue(false, "PostgreSQL at 127.0.0.1:5432 is unreachable: " + e.getMessage());
    }
    String project = "pg-" + suffix();
    log(project, "r", LoggedImages.step(project, 0, false));
    ops.awaitRows(project, "r", LoggedImages.PER_STEP);
    String schema = "replay_" + suffix().replace("-", "");

    // When the project is replayed into a schema of its own
    ops.ops("replay", "--name", "pg-" + suffix(), "--project", project, "--target-bucket", "replay-pg",
        "--target-jdbc-url", server, "--target-jdbc-schema", schema, "--timeout", TIMEOUT);

    // Then its rows there equal the regular ones (SQLite) in every column but stored_at
    assertThat(withoutStoredAt(OpsStack.rows(server + "&currentSchema=" + schema)))
        .isEqualTo(withoutStoredAt(rowsOf(project)));
    assertThat(ops.objects("replay-pg", "media")).isEqualTo(ops.objects(EmbeddedStack.BUCKET, "media/" + project)
        .entrySet().stream().collect(Collectors.toMap(e -> project + "/" + e.getKey(), Map.Entry::getValue)));
  }

  private static void log(String project, String run, LoggedImages call) throws Exception {
    ops.log(project, run, call.log, call.parts);
  }

  private static List<Map<String, String>> rowsOf(String project) throws Exception {
    return OpsStack.rows(ops.stack.jdbcUrl()).stream().filter(r -> r.get("project").equals(project)).toList();
  }

  private static Set<String> runsOf(List<Map<String, String>> rows) {
    return rows.stream().map(r -> r.get("project") + "/" + r.get("run")).collect(Collectors.toSet());
  }

  private static List<Map<String, String>> withoutStoredAt(List<Map<String, String>> rows) {
    List<Map<String, String>> out = new ArrayList<>();
    for (Map<String, String> row : rows) {
      Map<String, String> copy = new HashMap<>(row);
      copy.remove("stored_at");
      out.add(copy);
    }
    return out;
  }

  private static List<Map<String, String>> withPrefix(List<Map<String, String>> rows, String from, String to) {
    List<Map<String, String>> out = new ArrayList<>();
    for (Map<String, String> row : rows) {
      Map<String, String> copy = new HashMap<>(row);
      copy.put("object_key", copy.get("object_key").replace(from, to));
      copy.put("object_keys", copy.get("object_keys").replace(from, to));
      out.add(copy);
    }
    return out;
  }

  private static String sqlite(String name) {
    return "jdbc:sqlite:" + dir.resolve(name + ".db");
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
