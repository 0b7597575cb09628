package dev.mediaflow.ops.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Tells whether a consumer group has consumed a topic up to a snapshot of its end.
 *
 * <p>Comparing offsets is not enough on topics written in transactions: a consumer that
 * commits {@code last record + 1} stops short of the commit marker that follows, forever. So
 * when a partition's committed offset is below the end and has not moved since the previous
 * check, a read_committed probe looks at what lies between: only markers or aborted records
 * means the group is done there. The probe fetches as little as Kafka allows (one batch), and
 * only for idle partitions, so it stays cheap on topics of large records.
 */
public final class CatchUp implements AutoCloseable {
  private static final Duration PROBE_TIME = Duration.ofSeconds(5);

  private final KafkaConsumer<byte[], byte[]> probe;
  private final Map<TopicPartition, Long> previous = new HashMap<>();

  public CatchUp(Map<String, Object> clientConfig) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1);
    config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 1);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.probe = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * @param positions where the group stands on each partition of {@code end} (its committed
   *     offset, or where it will start when it has none)
   * @param end the snapshot to reach
   */
  public boolean reached(Map<TopicPartition, Long> positions, Map<TopicPartition, Long> end) {
    boolean reached = true;
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      TopicPartition tp = e.getKey();
      long position = positions.get(tp);
      Long before = previous.put(tp, position);
      if (position < e.getValue() && (before == null || before != position || hasRecords(tp, position, e.getValue()))) {
        reached = false;
      }
    }
    return reached;
  }

  /** Whether a committed record lies in {@code [from, end)} of the partition. */
  private boolean hasRecords(TopicPartition tp, long from, long end) {
    probe.assign(List.of(tp));
    probe.seek(tp, from);
    long deadline = System.nanoTime() + PROBE_TIME.toNanos();
    while (System.nanoTime() < deadline) {
      ConsumerRecords<byte[], byte[]> records = probe.poll(Duration.ofMillis(200));
      if (!records.isEmpty()) {
        return records.iterator().next().offset() < end;
      }
      if (probe.position(tp) >= end) {
        return false;
      }
    }
    return true; // undecided: assume not yet
  }

  @Override
  public void close() {
    probe.close();
  }
}
