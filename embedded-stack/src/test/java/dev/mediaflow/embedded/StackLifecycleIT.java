package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediaflow.infra.ChildProcess;
import dev.mediaflow.infra.JvmClasspath;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded stack's lifecycle, with the stack in a JVM of its own as a user runs it: kill -9
 * of that JVM leaves no child process; a broker killed under it is restarted and new calls are
 * stored; SIGTERM stops gateway, transform and sink before the infrastructure, in seconds.
 * The second stack starts on the data the first left behind when it was killed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StackLifecycleIT {
  private static final Pattern READY = Pattern.compile("READY (http://\\S+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dataDir;

  private static final List<ProcessHandle> launched = new ArrayList<>();

  @AfterAll
  static void killLeftovers() {
    // whatever a failed assertion left running must not outlive the test JVM
    for (ProcessHandle handle : launched) {
      handle.descendants().forEach(ProcessHandle::destroyForcibly);
      handle.destroyForcibly();
    }
  }

  @Test
  @Order(1)
  void shouldRestartAKilledSinkProcessAndLeaveNoChildProcessWhenTheStackJvmIsKilled() throws Exception {
    // Given a running stack whose broker, registry, transform and sink are child JVMs
    ChildProcess stack = launchStack(true);

    // When its sink process is killed with SIGKILL
    ProcessHandle sink = child(stack, "SinkService");
    long sinkKilled = System.nanoTime();
    sink.destroyForcibly();

    // Then the stack restarts it
    await("the sink restarted", Duration.ofSeconds(60), () -> stack.logTail(200).contains("sink restarted in"));
    long sinkRestartMillis = (System.nanoTime() - sinkKilled) / 1_000_000;
    assertThat(stack.logTail(200)).contains("sink died (exit code 137); restarting it (attempt 1 of 3)");
    assertThat(child(stack, "SinkService").pid()).isNotEqualTo(sink.pid());
    assertThat(stack.logTail(400)).as("nothing else restarted").containsOnlyOnce(" died ");
    System.out.printf("[figures] sink process kill -9 under a running stack: restarted after %d ms%n", sinkRestartMillis);
    List<ProcessHandle> children = ProcessHandle.of(stack.pid()).orElseThrow().descendants().toList();
    assertThat(children.stream().map(StackLifecycleIT::commandLine))
        .anyMatch(c -> c.contains("kafka.Kafka"))
        .anyMatch(c -> c.contains("GeneratedMain"))
        .anyMatch(c -> c.contains("TransformService"))
        .anyMatch(c -> c.contains("SinkService"));

    // When the stack JVM itself is killed with SIGKILL (no shutdown hook runs in it)
    long begin = System.nanoTime();
    stack.kill();

    // Then every one of its children ends by itself within seconds
    await("all children of the killed stack gone", Duration.ofSeconds(30),
        () -> children.stream().noneMatch(ProcessHandle::isAlive));
    long millis = (System.nanoTime() - begin) / 1_000_000;
    System.out.printf("[figures] stack JVM kill -9: %d child processes (broker, registry, transform, sink), "
        + "all gone after %d ms%n", children.size(), millis);
  }

  @Test
  @Order(2)
  void shouldRestartAKilledBrokerThenStopInOrderOnSigterm() throws Exception {
    // Given a stack started again on the data of the killed one, services in its own JVM
    ChildProcess stack = launchStack(false);
    String gateway = readyUrl(stack);
    ProcessHandle broker = child(stack, "kafka.Kafka");

    // When its broker is killed with SIGKILL
    long killed = System.nanoTime();
    broker.destroyForcibly();

    // Then the stack says so, restarts it, and a new call is stored
    await("the broker restarted", Duration.ofSeconds(120), () -> stack.logTail(200).contains("Kafka broker restarted in"));
    long restartMillis = (System.nanoTime() - killed) / 1_000_000;
    assertThat(stack.logTail(400)).contains("Kafka broker died (exit code 137); restarting it (attempt 1 of 3)");
    assertThat(child(stack, "kafka.Kafka").pid()).isNotEqualTo(broker.pid());
    assertThat(stack.logTail(400)).as("nothing else restarted").containsOnlyOnce(" died ");
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        DemoImages.logCall(0, false).build(gateway, "lifecycle", "after-broker-kill"), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    int accepted = JSON.readTree(response.body()).path("accepted").asInt();
    assertThat(accepted).isEqualTo(DemoImages.GOOD_PER_STEP);
    await("the new call stored", Duration.ofSeconds(90), () -> rows("lifecycle", "after-broker-kill") == accepted);
    List<ProcessHandle> children = ProcessHandle.of(stack.pid()).orElseThrow().descendants().toList();

    // When the stack JVM gets SIGTERM
    ChildProcess.Exit exit = stack.stop(Duration.ofSeconds(90));

    // Then it exits by itself, in seconds, having stopped the services before the infrastructure
    String log = Files.readString(stack.logFile());
    assertThat(exit.clean()).as("stack exit %s; log:%n%s", exit.describe(), stack.logTail(60)).isTrue();
    assertInOrder(log, "[stack] stopping the stack", "[stack] gateway stopped in", "[stack] transform stopped in",
        "sink stopped: ", "[stack] sink stopped in", "[stack] S3 endpoint stopped", "[stack] schema registry stopped cleanly",
        "[stack] Kafka broker stopped cleanly", "[stack] stack stopped in");
    assertThat(log.substring(log.indexOf("[stack] stopping the stack"))).doesNotContain("killed", "SIGKILL", "ignored SIGTERM");
    assertThat(children).noneMatch(ProcessHandle::isAlive);
    System.out.printf("[figures] broker kill -9 under a running stack: restarted after %d ms, new call of %d images stored;"
        + " SIGTERM stop took %d ms (%s)%n", restartMillis, accepted, exit.millis(), stopLine(log));
    log.substring(log.indexOf("[stack] stopping the stack")).lines()
        .filter(line -> line.startsWith("[stack]") || line.contains("sink stopped:"))
        .forEach(line -> System.out.println("  " + line));
  }

  private static ChildProcess launchStack(boolean servicesAsProcesses) throws Exception {
    Path argFile = ChildProcess.writeClassPathArgFile(dataDir.resolve("stack.classpath.args"),
        JvmClasspath.forChildRunning(StackMain.class.getName()));
    ChildProcess stack = ChildProcess.launch("stack", List.of(ChildProcess.javaExecutable(), "-Xmx1g",
        "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.mediaflow.schemas.avro", "@" + argFile,
        StackMain.class.getName(), dataDir.toString(), Boolean.toString(servicesAsProcesses)), Map.of(),
        dataDir.resolve("stack-" + launched.size() + ".log"), null);
    launched.add(ProcessHandle.of(stack.pid()).orElseThrow());
    readyUrl(stack);
    return stack;
  }

  private static String readyUrl(ChildProcess stack) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      Matcher ready = READY.matcher(stack.logTail(400));
      if (ready.find()) {
        return ready.group(1);
      }
      assertThat(stack.isAlive()).as("stack JVM alive; log:%n%s", stack.logTail(60)).isTrue();
      Thread.sleep(200);
    }
    throw new AssertionError("stack not ready in 3 min; log:\n" + stack.logTail(60));
  }

  private static ProcessHandle child(ChildProcess stack, String commandPart) {
    return ProcessHandle.of(stack.pid()).orElseThrow().descendants()
        .filter(h -> h.isAlive() && commandLine(h).contains(commandPart)).findFirst()
        .orElseThrow(() -> new AssertionError("no child running " + commandPart));
  }

  private static String commandLine(ProcessHandle handle) {
    return handle.info().commandLine().orElse("");
  }

  private static long rows(String project, String run) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("metadata.db"));
        PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM media_item WHERE project = ? AND run = ?")) {
      q.setString(1, project);
      q.setString(2, run);
      try (ResultSet r = q.executeQuery()) {
        return r.next() ? r.getLong(1) : 0;
      }
    }
  }

  private static void assertInOrder(String log, String... markers) {
    int from = 0;
    for (String marker : markers) {
      int at = log.indexOf(marker, from);
      assertThat(at).as("'%s' after position %d in the stop log:%n%s", marker, from, log.substring(Math.max(0,
          log.indexOf("[stack] stopping the stack")))).isGreaterThanOrEqualTo(0);
      from = at + marker.length();
    }
  }

  private static String stopLine(String log) {
    Matcher line = Pattern.compile("\\[stack\\] stack stopped in \\d+ ms").matcher(log);
    return line.find() ? line.group() : "no stop line";
  }

  private static void await(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      Thread.sleep(200);
    }
  }
}
