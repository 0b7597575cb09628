package dev.mediaflow.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediaflow.schemas.deadletter.DeadLetters;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The demo: starts the embedded stack, logs a small "training run" of images through the
 * HTTP gateway, waits until every image is stored, prints a summary and stops.
 *
 * <p>The data directory is reused between demos (default {@code ./mediaflow-data}): each demo
 * logs a new run of the same project next to the earlier ones, and its summary counts this
 * run only. Delete the directory to start from nothing.
 */
public final class Demo {
  static final String PROJECT = "demo-project";
  /** Each demo is a new run of the same project, so a reused data directory keeps earlier runs beside it. */
  static final String RUN = "run-" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
      .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
  static final int STEPS = 8;
  private static final ObjectMapper JSON = new ObjectMapper();

  private Demo() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args.length > 0 ? args[0] : System.getenv().getOrDefault("MEDIAFLOW_DATA_DIR", "mediaflow-data"));
    long started = System.nanoTime();
    say("mediaflow demo, data directory " + dataDir.toAbsolutePath());
    // a demo on the directory of a running `mediaflow up` would take its broker for a crash leftover and kill it
    DataDirLock.acquire(dataDir.toAbsolutePath()).ifPresent(inUse -> {
      say(inUse);
      System.exit(2);
    });
    // the stack stops itself in order on SIGTERM/Ctrl-C (its own shutdown hook)
    EmbeddedStack stack = EmbeddedStack.start(dataDir, null, Demo::say);
    stack.onFailure(reason -> {
      say("the stack stopped because a part of it kept dying; see the lines above");
      System.exit(2);
    });
    int exit = 1;
    try (StackInspector inspector = new StackInspector(stack)) {
      int accepted = logTrainingRun(stack);
      int sent = DemoImages.GOOD_PER_STEP * STEPS;
      say(accepted + " items accepted by the gateway: " + sent + " good images and 1 bad one");
      long rows = waitForRows(inspector, sent);
      summarize(stack, inspector, sent, rows, started);
      exit = rows == sent && accepted == sent + 1 ? 0 : 1;
    } finally {
      stack.close();
    }
    System.exit(exit);
  }

  /** Logs {@link #STEPS} steps; returns how many images were accepted. */
  private static int logTrainingRun(EmbeddedStack stack) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    int accepted = 0;
    for (int step = 0; step < STEPS; step++) {
      var request = DemoImages.logCall(step, step == 0).build(stack.gatewayUrl(), PROJECT, RUN);
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      int stepAccepted = JSON.readTree(response.body()).path("accepted").asInt();
      accepted += stepAccepted;
      say(String.format("step %d/%d logged: HTTP %d, %d images accepted%s", step + 1, STEPS, response.statusCode(),
          stepAccepted, step == 0 ? " (+1 deliberately bad item, goes to the dead-letter topic)" : ""));
    }
    return accepted;
  }

  private static long waitForRows(StackInspector inspector, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    long rows = 0;
    long shown = -1;
    while (rows < expected && System.nanoTime() < deadline) {
      rows = inspector.rows(PROJECT, RUN);
      if (rows != shown) {
        say(String.format("stored %d/%d images", rows, expected));
        shown = rows;
      }
      Thread.sleep(500);
    }
    return rows;
  }

  private static void summarize(EmbeddedStack stack, StackInspector inspector, int sent, long rows, long started) {
    List<String> objects = inspector.objectKeys("media/" + PROJECT + "/" + RUN + "/");
    List<Map<String, String>> rejected = inspector.deadLetters().stream()
        .filter(h -> PROJECT.equals(h.get(DeadLetters.PROJECT)) && RUN.equals(h.get(DeadLetters.RUN)))
        .toList();
    Path db = stack.dataDir().resolve("metadata.db");
    say("");
    say("==== summary ====");
    say("good images sent:                      " + sent);
    say("images processed and stored as rows:   " + rows);
    say("objects in s3://" + EmbeddedStack.BUCKET + "/media/:      " + objects.size());
    say("dead letters for this run:             " + rejected.size()
        + (rejected.isEmpty() ? "" : "  e.g. " + rejected.get(0).get(DeadLetters.REASON)));
    say("time: " + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s");
    say("data directory: " + stack.dataDir());
    say("  metadata (SQLite): " + db);
    say("  objects:           " + stack.dataDir().resolve("s3"));
    say("browser: " + stack.queryUrl() + "/");
    say("try: sqlite3 " + db + " \"SELECT log_key, step, item_index, width, height, mode, object_key"
        + " FROM media_item ORDER BY step, item_index LIMIT 12\"");
    say(rows == sent && objects.size() == sent ? "OK: every image stored" : "MISMATCH: see above");
  }

  private static void say(String line) {
    System.out.println("[demo] " + line);
    System.out.flush();
  }
}
