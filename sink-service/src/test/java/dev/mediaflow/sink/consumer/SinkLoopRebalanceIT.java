package dev.mediaflow.sink.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.infra.KafkaBroker;
import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.sink.SinkConfig;
import dev.mediaflow.sink.TestEvents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out of the sink against a real KRaft broker, with the consumer settings the service
 * uses ({@link SinkConfig#consumer()}): a second instance joining takes only the partitions that
 * move to it, while the first keeps writing the others, and nothing is lost or written twice.
 */
class SinkLoopRebalanceIT {
  private static final String TOPIC = "rebalance.processed";
  private static final int PARTITIONS = 4;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir
  static Path dataDir;

  static KafkaBroker broker;

  /** name -> the instances (a, b) that stored it, in order. */
  private final Map<String, List<String>> storedBy = new ConcurrentHashMap<>();
  /** Wall-clock ms of each store by the first instance, per partition. */
  private final Map<Integer, List<Long>> firstStoreTimes = new ConcurrentHashMap<>();
  /** Partitions the second instance stored to. */
  private final Map<Integer, Boolean> secondPartitions = new ConcurrentHashMap<>();

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start(dataDir.resolve("kafka"));
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
    }
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void shouldMoveOnlyThePartitionsTheJoiningInstanceTakesAndKeepWritingTheOthers() throws Exception {
    // Given one sink instance writing a steady stream on every partition (20 ms a write)
    SinkLoop first = loop("a");
    Thread firstThread = new Thread(first, "sink-a");
    firstThread.start();
    Producer producer = new Producer();
    producer.start();
    try {
      await(() -> firstStoreTimes.size() == PARTITIONS, "the first instance writes every partition");
      Thread.sleep(2000);

      // When a second instance with the same group joins
      long joined = System.currentTimeMillis();
      SinkLoop second = loop("b");
      Thread secondThread = new Thread(second, "sink-b");
      secondThread.start();
      try {
        await(() -> secondPartitions.size() == PARTITIONS / 2, "the second instance writes its share");
        Thread.sleep(3000);
        long settled = System.currentTimeMillis();

        // Then the first gave up only the two partitions that moved (an eager rebalance revokes all four)
        assertThat(first.partitionsRevoked()).isEqualTo(PARTITIONS / 2);
        assertThat(second.partitionsRevoked()).isZero();
        // and kept writing the partitions it kept: no pause longer than a rebalance's round trips
        // (a few hundred ms when idle; the bound leaves room for a loaded 2-core CI machine)
        List<Integer> kept = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
          if (!secondPartitions.containsKey(p)) {
            kept.add(p);
          }
        }
        assertThat(kept).hasSize(PARTITIONS / 2);
        for (int p : kept) {
          assertThat(longestGap(firstStoreTimes.get(p), joined - 1000, settled))
              .as("longest pause of partition %d kept by the first instance, ms", p).isLessThan(5000);
        }
        producer.stopAndJoin();
        await(() -> storedBy.size() == producer.sent.size(), "every record produced is stored");
      } finally {
        producer.stopAndJoin();
        second.stop();
        secondThread.join(TIMEOUT.toMillis());
      }
    } finally {
      producer.stopAndJoin();
      first.stop();
      firstThread.join(TIMEOUT.toMillis());
    }
    // and every record produced was stored exactly once, by one instance
    for (String name : producer.sent) {
      assertThat(storedBy.get(name)).as("stores of %s", name).hasSize(1);
    }
    assertThat(storedBy).hasSize(producer.sent.size());
  }

  private SinkLoop loop(String instance) {
    Map<String, String> settings = new HashMap<>();
    settings.put(SinkConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
    settings.put(SinkConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:1");
    settings.put(SinkConfig.JDBC_URL, "jdbc:sqlite:" + dataDir.resolve("unused.db"));
    settings.put(SinkConfig.GROUP_ID, "rebalance-it");
    settings.put("kafka.session.timeout.ms", "6000");
    settings.put("kafka.heartbeat.interval.ms", "500");
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(new SinkConfig(settings).consumer(),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    MockProducer<byte[], byte[]> deadLetters =
        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    return new SinkLoop(consumer, deadLetters, TOPIC, "rebalance.deadletter", new EventsByName(),
        item -> store(instance, item));
  }

  private void store(String instance, ProcessedMedia item) {
    String name = item.getIdentity().getKey();
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    storedBy.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(instance);
    int partition = Integer.parseInt(name.substring(1, name.indexOf('-')));
    if (instance.equals("a")) {
      firstStoreTimes.computeIfAbsent(partition, p -> new CopyOnWriteArrayList<>()).add(System.currentTimeMillis());
    } else {
      secondPartitions.put(partition, true);
    }
  }

  /** Longest time between consecutive stores within [from, to] (and from its edges). */
  private static long longestGap(List<Long> times, long from, long to) {
    long longest = 0;
    long previous = from;
    for (long t : times) {
      if (t >= from && t <= to) {
        longest = Math.max(longest, t - previous);
        previous = t;
      }
    }
    return Math.max(longest, to - previous);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("timed out waiting until " + what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  /** One record to every partition every 40 ms, named {@code p<partition>-<seq>}. */
  private static final class Producer extends Thread {
    final List<String> sent = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    Producer() {
      super("rebalance-producer");
    }

    @Override
    public void run() {
      Map<String, Object> settings = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
          ProducerConfig.LINGER_MS_CONFIG, 0);
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer())) {
        for (long seq = 0; running; seq++) {
          for (int p = 0; p < PARTITIONS; p++) {
            String name = "p" + p + "-" + seq;
            producer.send(new ProducerRecord<>(TOPIC, p, name.getBytes(StandardCharsets.UTF_8),
                name.getBytes(StandardCharsets.UTF_8))).get();
            sent.add(name);
          }
          Thread.sleep(40);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    void stopAndJoin() throws InterruptedException {
      running = false;
      join(TIMEOUT.toMillis());
    }
  }

  /** Reads a record value as the name of a test event (its item key). */
  private static final class EventsByName implements Deserializer<ProcessedMedia> {
    @Override
    public ProcessedMedia deserialize(String topic, byte[] data) {
      return TestEvents.image(TestEvents.identity("vision", "run-1", new String(data, StandardCharsets.UTF_8), 7, 0));
    }
  }
}
