package dev.mediaflow.sink.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.schemas.deadletter.DeadLetters;
import dev.mediaflow.schemas.serde.SchemaRegistryException;
import dev.mediaflow.schemas.topics.ItemKeys;
import dev.mediaflow.sink.TestEvents;
import dev.mediaflow.sink.s3.ObjectStoreException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The poll loop's pausing, dead-lettering and committing against Kafka's MockConsumer. */
class SinkLoopTest {
  private static final String TOPIC = "processed";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final IdleMockConsumer consumer = new IdleMockConsumer();
  private final MockProducer<byte[], byte[]> deadLetters =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  /** Events by their record value (the value is the event's name). */
  private final Map<String, ProcessedMedia> events = new ConcurrentHashMap<>();
  private final List<String> stored = new CopyOnWriteArrayList<>();
  private final Map<String, RuntimeException> failures = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  /** Names whose writer schema the (fake) registry cannot give right now. */
  private final Set<String> registryDownFor = ConcurrentHashMap.newKeySet();
  private SinkLoop loop;
  private Thread thread;

  @AfterEach
  void stopLoop() throws InterruptedException {
    if (loop != null) {
      loop.stop();
      thread.join(TIMEOUT.toMillis());
    }
  }

  @Test
  void shouldStoreOtherPartitionsWhileOnePartitionWaitsOnTheStore() throws Exception {
    // Given partition 0 starts with an item S3 answers 503 for, partition 1 holds good items
    failures.put("stuck", s3Error(503, "SlowDown"));
    startLoop(Map.of(P0, List.of("stuck", "after-stuck"), P1, List.of("good-1", "good-2", "good-3")));

    // When partition 0 waits, and more arrives on partition 1
    await(() -> stored.size() == 3, "partition 1's first items stored");
    consumer.schedulePollTask(() -> consumer.addRecord(record(P1, 3, "good-4")));

    // Then partition 1 is stored and committed while partition 0 retries, paused
    await(() -> stored.contains("good-4") && committed(P1) == 4, "partition 1 committed up to good-4");
    assertThat(stored).doesNotContain("stuck", "after-stuck");
    assertThat(committed(P0)).isEqualTo(-1);
    assertThat(loop.partitionsWaiting()).isEqualTo(1);
    await(() -> attempts.get("stuck").get() > 1, "the stuck item retried");

    // When the store comes back
    failures.remove("stuck");

    // Then partition 0 goes on in order and is committed
    await(() -> committed(P0) == 2, "partition 0 committed after the store came back");
    assertThat(stored).containsSubsequence("stuck", "after-stuck");
    assertThat(loop.partitionsWaiting()).isZero();
  }

  @Test
  void shouldDeadLetterAnItemTheStoreRefusesWithItsIdentityAndStoreTheNext() throws Exception {
    // Given an item S3 refuses for good between two good items, and a value that is not an event
    failures.put("refused", s3Error(400, "InvalidArgument"));
    startLoop(Map.of(P0, List.of("good-1", "refused", "good-2", "garbage")));

    // When
    await(() -> committed(P0) == 4, "all four records handled and committed");

    // Then
    assertThat(stored).containsExactly("good-1", "good-2");
    assertThat(attempts.get("refused").get()).isEqualTo(1);
    List<ProducerRecord<byte[], byte[]>> letters = deadLetters.history();
    assertThat(letters).hasSize(2);
    Map<String, String> refused = headers(letters.get(0));
    assertThat(refused)
        .containsEntry(DeadLetters.STAGE, "sink")
        .containsEntry(DeadLetters.PROJECT, "vision").containsEntry(DeadLetters.RUN, "run-1")
        .containsEntry(DeadLetters.KEY, "refused").containsEntry(DeadLetters.STEP, "7")
        .containsEntry(DeadLetters.INDEX, "1")
        .containsEntry(DeadLetters.SOURCE_PARTITION, "0").containsEntry(DeadLetters.SOURCE_OFFSET, "1");
    assertThat(refused.get(DeadLetters.REASON)).contains("S3 answered HTTP 400 InvalidArgument", "said InvalidArgument");
    assertThat(new String(letters.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("refused");
    Map<String, String> garbage = headers(letters.get(1));
    assertThat(garbage.get(DeadLetters.REASON)).contains("undecodable processed event");
    assertThat(garbage).containsEntry(DeadLetters.KEY, "garbage").containsEntry(DeadLetters.INDEX, "3");
    assertThat(loop.deadLettered()).isEqualTo(2);
  }

  @Test
  void shouldWaitForTheSchemaRegistryRatherThanDeadLetterWhatItCannotDecodeYet() throws Exception {
    // Given the registry is unreachable when the first record is read
    registryDownFor.add("good-1");
    startLoop(Map.of(P0, List.of("good-1", "good-2")));
    await(() -> attempts.containsKey("decode good-1") && attempts.get("decode good-1").get() > 1, "decoding retried");

    // When the registry is back
    registryDownFor.clear();

    // Then both are stored in order, nothing dead-lettered
    await(() -> committed(P0) == 2, "both committed");
    assertThat(stored).containsExactly("good-1", "good-2");
    assertThat(deadLetters.history()).isEmpty();
  }

  @Test
  void shouldCommitWhatWasWrittenAndStopTheWriterWhenItsPartitionIsRevoked() throws Exception {
    // Given partition 0: a good item, then one S3 cannot take yet
    failures.put("stuck", s3Error(500, "InternalError"));
    startLoop(Map.of(P0, List.of("good-1", "stuck", "never"), P1, List.of("good-2")));
    await(() -> attempts.containsKey("stuck") && committed(P0) == 1, "good-1 committed, stuck retrying");

    // When the group takes partition 0 away
    consumer.schedulePollTask(() -> consumer.rebalance(List.of(P1)));
    await(() -> !consumer.assignment().contains(P0), "partition 0 revoked");
    int attemptsAtRevoke = attempts.get("stuck").get();
    Thread.sleep(RecordHandler.FIRST_BACKOFF.toMillis() * 4); // room for retries that must not happen

    // Then its writer stopped after what it had written, which stays committed; nothing else of it is stored
    assertThat(attempts.get("stuck").get()).isEqualTo(attemptsAtRevoke);
    assertThat(stored).containsExactlyInAnyOrder("good-1", "good-2");
    assertThat(committed(P0)).isEqualTo(1);
    assertThat(loop.partitionsWaiting()).isZero();
  }

  @Test
  void shouldStopPromptlyWhileAPartitionWaitsAndCommitWhatWasWritten() throws Exception {
    // Given partition 0 wrote one item and waits on the store for the next
    failures.put("stuck", s3Error(503, "ServiceUnavailable"));
    startLoop(Map.of(P0, List.of("good-1", "stuck")));
    await(() -> attempts.containsKey("stuck") && stored.contains("good-1"), "good-1 stored, stuck retrying");

    // When
    long start = System.nanoTime();
    loop.stop();
    thread.join(TIMEOUT.toMillis());

    // Then the waiting writer gave up its backoff at once and the written item is committed
    assertThat(thread.isAlive()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(committed(P0)).isEqualTo(1);
    assertThat(consumer.closed()).isTrue();
  }

  private void startLoop(Map<TopicPartition, List<String>> records) {
    consumer.schedulePollTask(() -> {
      consumer.rebalance(List.copyOf(records.keySet()));
      Map<TopicPartition, Long> beginnings = new HashMap<>();
      records.keySet().forEach(partition -> beginnings.put(partition, 0L));
      consumer.updateBeginningOffsets(beginnings);
      records.forEach((partition, names) -> {
        for (int offset = 0; offset < names.size(); offset++) {
          consumer.addRecord(record(partition, offset, names.get(offset)));
        }
      });
    });
    loop = new SinkLoop(consumer, deadLetters, TOPIC, "deadletter", new EventsByName(), this::write);
    thread = new Thread(loop, "sink-loop-test");
    thread.start();
  }

  private ConsumerRecord<byte[], byte[]> record(TopicPartition partition, long offset, String name) {
    ProcessedMedia event = TestEvents.image(TestEvents.identity("vision", "run-1", name, 7, (int) offset));
    events.put(name, event);
    return new ConsumerRecord<>(TOPIC, partition.partition(), offset,
        ItemKeys.of(event.getIdentity()).getBytes(StandardCharsets.UTF_8), name.getBytes(StandardCharsets.UTF_8));
  }

  private void write(ProcessedMedia event) {
    String name = event.getIdentity().getKey();
    attempts.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
    RuntimeException failure = failures.get(name);
    if (failure != null) {
      throw failure;
    }
    stored.add(name);
  }

  private long committed(TopicPartition partition) {
    OffsetAndMetadata offset = consumer.lastCommits.get(partition);
    return offset == null ? -1 : offset.offset();
  }

  private static ObjectStoreException s3Error(int status, String code) {
    return new ObjectStoreException("cannot put s3://mediaflow/k", S3Exception.builder()
        .statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("said " + code).build())
        .build());
  }

  private static Map<String, String> headers(ProducerRecord<byte[], byte[]> letter) {
    Map<String, String> out = new HashMap<>();
    letter.headers().forEach(h -> out.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
    return out;
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("timed out waiting until " + what).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  /** Reads a record value as the name of a test event; anything else is not an event. */
  private final class EventsByName implements Deserializer<ProcessedMedia> {
    @Override
    public ProcessedMedia deserialize(String topic, byte[] data) {
      String name = new String(data, StandardCharsets.UTF_8);
      if (registryDownFor.contains(name)) {
        attempts.computeIfAbsent("decode " + name, n -> new AtomicInteger()).incrementAndGet();
        throw new SerializationException("unknown schema id 1",
            new SchemaRegistryException("schema registry unreachable: Connection refused", 0));
      }
      ProcessedMedia event = events.get(name);
      if (event == null || new String(data, StandardCharsets.UTF_8).equals("garbage")) {
        throw new SerializationException("Unknown magic byte!");
      }
      return event;
    }
  }

  /**
   * MockConsumer returns at once from an empty poll; a real one waits, which keeps the test's CPU
   * use low. It also keeps every commit: MockConsumer answers 0 for a partition no longer assigned.
   */
  private static final class IdleMockConsumer extends MockConsumer<byte[], byte[]> {
    final Map<TopicPartition, OffsetAndMetadata> lastCommits = new ConcurrentHashMap<>();

    IdleMockConsumer() {
      super("earliest");
    }

    @Override
    public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
      super.commitSync(offsets);
      lastCommits.putAll(offsets);
    }

    @Override
    public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
      ConsumerRecords<byte[], byte[]> records = super.poll(timeout);
      if (records.isEmpty() && !timeout.isZero()) {
        try {
          wait(Math.min(timeout.toMillis(), 20));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return records;
    }
  }
}
