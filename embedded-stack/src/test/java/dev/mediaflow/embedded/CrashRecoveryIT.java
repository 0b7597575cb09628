package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.schemas.deadletter.DeadLetters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes (kill -9) the transform and the sink, each in its own JVM, five times in the middle
 * of a stream, and the broker once during ingest, then counts exactly what arrived: every
 * acknowledged item once in the processed topic, once in S3, once in SQL.
 */
class CrashRecoveryIT {
  static final String PROJECT = "crash";
  static final int ITEMS = 200;
  static final int CYCLES = 5;

  @TempDir
  static Path dataDir;

  static EmbeddedStack stack;
  static StackInspector inspector;
  static ItemSender sender;

  @BeforeAll
  static void start() {
    stack = EmbeddedStack.start(dataDir, null, line -> System.out.println("[stack] " + line), true);
    inspector = new StackInspector(stack);
    sender = new ItemSender(stack);
  }

  @AfterAll
  static void stop() {
    sender.close();
    inspector.close();
    stack.close();
  }

  @Test
  void shouldLoseAndDoubleNothingWhenTheTransformIsKilledFiveTimes() throws Exception {
    crashWhileStreaming("kill-transform", stack::killTransform, stack::startTransform);
  }

  @Test
  void shouldLoseAndDoubleNothingWhenTheSinkIsKilledFiveTimes() throws Exception {
    crashWhileStreaming("kill-sink", stack::killSink, stack::startSink);
  }

  /** Streams items of one run, crashes and restarts a service five times meanwhile, then counts. */
  static void crashWhileStreaming(String run, Runnable kill, Runnable restart) throws Exception {
    // Given a steady stream of items
    Future<Integer> acked = sender.send(PROJECT, run, ITEMS, 60);

    // When the service is killed and restarted five times while it streams
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      Thread.sleep(2500);
      kill.run();
      Thread.sleep(500);
      restart.run();
    }

    // Then every acknowledged item arrives exactly once everywhere
    assertThat(acked.get(5, TimeUnit.MINUTES)).isEqualTo(ITEMS);
    assertExactlyOnce(run, ITEMS);
  }

  @Test
  void shouldKeepEveryAcknowledgedEventWhenTheBrokerRestartsDuringIngest() throws Exception {
    // Given a stream under way
    String run = "broker-restart";
    Future<Integer> acked = sender.send(PROJECT, run, ITEMS, 40);
    Thread.sleep(3000);

    // When the broker stops for five seconds and comes back on the same port and data
    stack.broker().stop();
    Thread.sleep(5000);
    stack.broker().restart();

    // Then every event the producer saw acknowledged is stored, once
    int acknowledged = acked.get(5, TimeUnit.MINUTES);
    assertThat(acknowledged).isEqualTo(ITEMS);
    assertExactlyOnce(run, acknowledged);
  }

  @Test
  void shouldDrainCommitAndResumeWhenTheServicesAreStoppedWithSigterm() throws Exception {
    // Given a stream under way
    String run = "sigterm";
    Future<Integer> acked = sender.send(PROJECT, run, ITEMS, 40);
    Thread.sleep(3000);

    // When transform and sink get SIGTERM mid-stream, stay down a while, and start again
    stack.stopServicesGracefully();
    long rowsWhileStopped = inspector.rows(PROJECT, run);
    Thread.sleep(3000);
    assertThat(inspector.rows(PROJECT, run)).as("nothing is written while stopped").isEqualTo(rowsWhileStopped);
    stack.startSink();
    stack.startTransform();

    // Then they resume where they stopped: all items, once each
    assertThat(acked.get(5, TimeUnit.MINUTES)).isEqualTo(ITEMS);
    assertExactlyOnce(run, ITEMS);
  }

  static void assertExactlyOnce(String run, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (inspector.rows(PROJECT, run) < expected && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    long rows = inspector.rows(PROJECT, run);
    int objects = inspector.objectKeys("media/" + PROJECT + "/" + run + "/").size();
    Map<String, Integer> processed = inspector.committedItems(stack.topics().processed().name(), PROJECT, run);
    long doubled = processed.values().stream().filter(n -> n > 1).count();
    long deadLetters = inspector.deadLetters().stream().filter(h -> run.equals(h.get(DeadLetters.RUN))).count();
    System.out.printf("[figures] %s: sent %d, rows %d, objects %d, processed %d (doubled %d), dead letters %d%n",
        run, expected, rows, objects, processed.size(), doubled, deadLetters);
    assertThat(rows).isEqualTo(expected);
    assertThat(objects).isEqualTo(expected);
    assertThat(processed).hasSize(expected);
    assertThat(doubled).as("items committed more than once to the processed topic").isZero();
    assertThat(deadLetters).isZero();
  }
}
