package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mediaflow.schemas.avro.ImageInfo;
import dev.mediaflow.schemas.avro.MediaIdentity;
import dev.mediaflow.schemas.avro.MediaObject;
import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.schemas.deadletter.DeadLetters;
import dev.mediaflow.schemas.topics.ItemKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, class 1: one item a store refuses for good, or one partition whose store writes
 * wait, must not stop the sink. Processed events are produced straight onto the processed
 * topic (explicit partitions, names the gateway may refuse), the rest of the pipeline is real.
 * Runs on PostgreSQL (a schema of its own) when it answers at 127.0.0.1:5432, else on SQLite;
 * the SQL-refusal test needs PostgreSQL.
 */
class SinkStoreFailuresIT {
  static final String PROJECT = "sinkfail";
  static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  static final Duration TIMEOUT = Duration.ofSeconds(90);

  @TempDir
  static Path dataDir;

  static String schema;
  static EmbeddedStack stack;
  static StackInspector inspector;
  static ItemSender sender;
  static KafkaProducer<byte[], byte[]> producer;

  @BeforeAll
  static void start() {
    stack = EmbeddedStack.start(dataDir, postgresSchemaUrl(), line -> System.out.println("[stack] " + line));
    inspector = new StackInspector(stack);
    sender = new ItemSender(stack);
    producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers()),
        new ByteArraySerializer(), new ByteArraySerializer());
  }

  @AfterAll
  static void stop() throws SQLException {
    if (stack != null) {
      producer.close();
      sender.close();
      inspector.close();
      stack.close();
    }
    if (schema != null) {
      try (Connection c = DriverManager.getConnection(SERVER); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  @Test
  void shouldDeadLetterAnItemWhoseNameNoStoreCanHoldAndStoreItsNeighboursAndLaterCalls() throws Exception {
    // Given one call's items on one partition: a good one, one whose log key is 300 characters, a good one
    String run = "long-name";
    String longKey = "k".repeat(300);
    long start = System.nanoTime();
    send(0, event(run, "examples", 0, "first"));
    send(0, event(run, longKey, 0, "too long"));
    send(0, event(run, "examples", 1, "last"));

    // When the sink has worked through them
    await(() -> inspector.rows(PROJECT, run) == 2 && letter(run) != null, "neighbours stored, long name dead-lettered");
    long handledMs = millisSince(start);

    // Then the refused item is a dead letter naming the item and why; its neighbours are stored
    Map<String, String> letter = letter(run);
    assertThat(letter)
        .containsEntry(DeadLetters.STAGE, "sink")
        .containsEntry(DeadLetters.PROJECT, PROJECT).containsEntry(DeadLetters.RUN, run)
        .containsEntry(DeadLetters.KEY, longKey).containsEntry(DeadLetters.STEP, "0").containsEntry(DeadLetters.INDEX, "0")
        .containsEntry(DeadLetters.SOURCE_TOPIC, stack.topics().processed().name())
        .containsEntry(DeadLetters.SOURCE_PARTITION, "0");
    assertThat(letter.get(DeadLetters.REASON)).contains("is 300 bytes percent-encoded, above the limit of 255");
    assertThat(inspector.rows(PROJECT, run)).isEqualTo(2);

    // And a later call goes through the whole pipeline
    long later = System.nanoTime();
    assertThat(sender.send(PROJECT, run + "-after", 8, 0).get(1, TimeUnit.MINUTES)).isEqualTo(8);
    await(() -> inspector.rows(PROJECT, run + "-after") == 8, "the later call stored");
    System.out.printf("[figures] object name no store can hold: dead-lettered with identity and its 2 neighbours"
        + " stored in %d ms; a later call of 8 items stored in %d ms%n", handledMs, millisSince(later));
  }

  @Test
  void shouldDeadLetterARowTheSqlStoreRefusesAndStoreItsNeighboursAndLaterCalls() throws Exception {
    assumeTrue(schema != null, "needs PostgreSQL at 127.0.0.1:5432 (SQLite takes any text)");
    // Given a caption with U+0000 between two good items: PostgreSQL text cannot hold it
    String run = "nul-caption";
    long start = System.nanoTime();
    send(1, event(run, "examples", 0, "first"));
    send(1, event(run, "examples", 1, "before\u0000after"));
    send(1, event(run, "examples", 2, "last"));

    // When
    await(() -> inspector.rows(PROJECT, run) == 2 && letter(run) != null, "neighbours stored, row dead-lettered");
    long handledMs = millisSince(start);

    // Then
    Map<String, String> letter = letter(run);
    assertThat(letter).containsEntry(DeadLetters.STAGE, "sink").containsEntry(DeadLetters.KEY, "examples")
        .containsEntry(DeadLetters.INDEX, "1").containsEntry(DeadLetters.SOURCE_PARTITION, "1");
    assertThat(letter.get(DeadLetters.REASON)).contains("SQL store answered SQLState 22");
    assertThat(inspector.objectKeys("media/" + PROJECT + "/" + run + "/"))
        .as("only the stored neighbours' objects are listed, not the refused item's")
        .hasSize(2).noneMatch(key -> key.contains("/1."));
    long later = System.nanoTime();
    assertThat(sender.send(PROJECT, run + "-after", 8, 0).get(1, TimeUnit.MINUTES)).isEqualTo(8);
    await(() -> inspector.rows(PROJECT, run + "-after") == 8, "the later call stored");
    System.out.printf("[figures] row PostgreSQL refuses (%s): dead-lettered with identity and its 2 neighbours"
        + " stored in %d ms; a later call of 8 items stored in %d ms%n",
        sqlState(letter.get(DeadLetters.REASON)), handledMs, millisSince(later));
  }

  @Test
  void shouldStoreOtherPartitionsWhileOnePartitionWaitsOnTheStore() throws Exception {
    // Given the store cannot write under one run (a file where its directory must go: HTTP 500, retried)
    Path blocker = stack.s3().dataDir().resolve("blobs").resolve(EmbeddedStack.BUCKET)
        .resolve("media").resolve(PROJECT).resolve("blocked");
    Files.createDirectories(blocker.getParent());
    Files.writeString(blocker, "not a directory");
    send(0, event("blocked", "examples", 0, "waits"));
    send(0, event("flowing", "behind-blocked", 0, "after the waiting item, same partition"));
    long start = System.nanoTime();
    for (int partition = 1; partition < EmbeddedStack.PARTITIONS; partition++) {
      for (int index = 0; index < 3; index++) {
        send(partition, event("flowing", "p" + partition, index, "other partition"));
      }
    }

    // When / Then the other partitions are stored while partition 0 waits, in order
    await(() -> inspector.rows(PROJECT, "flowing") == 9, "the 9 items of partitions 1-3 stored");
    long othersMs = millisSince(start);
    assertThat(inspector.rows(PROJECT, "blocked")).isZero();
    assertThat(inspector.rows(PROJECT, "flowing")).as("the item behind the waiting one waits too").isEqualTo(9);
    assertThat(letter("blocked")).as("a transient failure is not dead-lettered").isNull();

    // And a later wave on the other partitions flows too while partition 0 still waits
    long wave = System.nanoTime();
    for (int partition = 1; partition < EmbeddedStack.PARTITIONS; partition++) {
      for (int index = 3; index < 5; index++) {
        send(partition, event("flowing", "p" + partition, index, "later wave"));
      }
    }
    await(() -> inspector.rows(PROJECT, "flowing") == 15, "the later 6 items of partitions 1-3 stored");
    long waveMs = millisSince(wave);
    assertThat(inspector.rows(PROJECT, "blocked")).isZero();
    assertThat(inspector.rows(PROJECT, "flowing")).as("the item behind the waiting one still waits").isEqualTo(15);
    long waitedMs = millisSince(start);

    // When the store can write there again
    Files.delete(blocker);
    long recovered = System.nanoTime();

    // Then partition 0 goes on: the waiting item, then the one behind it
    await(() -> inspector.rows(PROJECT, "blocked") == 1 && inspector.rows(PROJECT, "flowing") == 16, "partition 0 drained");
    System.out.printf("[figures] one partition waiting on the store for %d ms: the 9 items of the 3 other partitions"
        + " stored in %d ms and a later wave of 6 in %d ms meanwhile; partition 0 drained %d ms after the store"
        + " recovered (backoff at most 10 s)%n", waitedMs, othersMs, waveMs, millisSince(recovered));
  }

  static String sqlState(String reason) {
    Matcher state = Pattern.compile("SQLState (\\w+)").matcher(reason);
    return state.find() ? state.group(1) : "?";
  }

  static ProcessedMedia event(String run, String key, int index, String caption) {
    return ProcessedMedia.newBuilder()
        .setIdentity(new MediaIdentity(PROJECT, run, key, 0L, index))
        .setTimestamp(Instant.now())
        .setProducerId("it")
        .setMediaType("image")
        .setObjects(List.of(MediaObject.newBuilder().setRole("image").setExtension("png").setContentType("image/png")
            .setData(ByteBuffer.wrap(("png of " + key + index).getBytes(StandardCharsets.UTF_8))).build()))
        .setWarnings(List.of())
        .setImage(ImageInfo.newBuilder().setWidth(1).setHeight(1).setMode("L").setFormat("png").setCaption(caption)
            .setClasses(List.of()).build())
        .build();
  }

  static void send(int partition, ProcessedMedia event) throws Exception {
    String topic = stack.topics().processed().name();
    producer.send(new ProducerRecord<>(topic, partition, ItemKeys.of(event.getIdentity()).getBytes(StandardCharsets.UTF_8),
        stack.topics().processed().valueSerde().serializer().serialize(topic, event))).get();
  }

  /** The sink's dead letter of one run of this project, or null. */
  static Map<String, String> letter(String run) {
    return inspector.deadLetters().stream()
        .filter(h -> "sink".equals(h.get(DeadLetters.STAGE)) && PROJECT.equals(h.get(DeadLetters.PROJECT))
            && run.equals(h.get(DeadLetters.RUN)))
        .findFirst().orElse(null);
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("timed out waiting until " + what).isLessThan(deadline);
      Thread.sleep(250);
    }
  }

  static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** A PostgreSQL URL on a schema of this class's own, or null (SQLite) when no server answers. */
  static String postgresSchemaUrl() {
    String name = "sinkfail_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(SERVER); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + name);
    } catch (SQLException e) {
      System.err.println("PostgreSQL at 127.0.0.1:5432 is unreachable, running on SQLite: " + e.getMessage());
      return null;
    }
    schema = name;
    return "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=" + name;
  }
}
