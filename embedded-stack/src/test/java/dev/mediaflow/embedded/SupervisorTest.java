package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The supervisor's policy with fake parts: restart what died, a bounded number of times, then give up loudly. */
class SupervisorTest {

  @Test
  void shouldRestartAPartThatDiedAndSaySo() throws Exception {
    // Given a part that is dead until it is restarted
    AtomicBoolean dead = new AtomicBoolean(true);
    AtomicInteger restarts = new AtomicInteger();
    List<String> lines = new CopyOnWriteArrayList<>();
    Supervisor.Part broker = new Supervisor.Part("Kafka broker", dead::get, () -> 137, () -> {
      restarts.incrementAndGet();
      dead.set(false);
    });

    // When the supervisor watches it
    try (Supervisor supervisor = new Supervisor(List.of(broker), lines::add, reason -> { }).start()) {
      awaitTrue(() -> lines.size() >= 2);
    }

    // Then it was restarted once, with a line for the death and one for the restart
    assertThat(restarts).hasValue(1);
    assertThat(lines.get(0)).isEqualTo("Kafka broker died (exit code 137); restarting it (attempt 1 of 3)");
    assertThat(lines.get(1)).startsWith("Kafka broker restarted in ");
  }

  @Test
  void shouldGiveUpWithAClearReasonWhenAPartKeepsDying() throws Exception {
    // Given a part that dies again right after every restart
    AtomicInteger restarts = new AtomicInteger();
    List<String> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<String> gaveUp = new CompletableFuture<>();
    Supervisor.Part sink = new Supervisor.Part("sink", () -> true, () -> 1, restarts::incrementAndGet);

    // When the supervisor watches it
    try (Supervisor supervisor = new Supervisor(List.of(sink), lines::add, gaveUp::complete).start()) {

      // Then it restarts it three times, then gives up once with the reason
      String reason = gaveUp.get(30, TimeUnit.SECONDS);
      assertThat(reason).isEqualTo("sink died (exit code 1) for the 4th time within 10 min; giving up after 3 restarts:"
          + " the stack stops");
      assertThat(restarts).hasValue(Supervisor.MAX_RESTARTS);
      assertThat(lines).filteredOn(line -> line.contains("restarting it")).hasSize(3);
    }
  }

  @Test
  void shouldCountARestartThatFailedAsAnAttempt() throws Exception {
    // Given a part that cannot be started again
    List<String> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<String> gaveUp = new CompletableFuture<>();
    Supervisor.Part registry = new Supervisor.Part("schema registry", () -> true, () -> -1, () -> {
      throw new IllegalStateException("port 8081 taken");
    });

    // When the supervisor watches it
    try (Supervisor supervisor = new Supervisor(List.of(registry), lines::add, gaveUp::complete).start()) {

      // Then each failure is reported, and the stack gives up after the allowed attempts
      assertThat(gaveUp.get(30, TimeUnit.SECONDS)).startsWith("schema registry died for the 4th time");
      assertThat(lines).contains("schema registry could not be restarted: port 8081 taken");
    }
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
