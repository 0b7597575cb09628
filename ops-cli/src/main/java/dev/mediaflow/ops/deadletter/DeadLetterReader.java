package dev.mediaflow.ops.deadletter;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a range of a dead-letter topic in order, committed records only (the transform writes
 * in transactions). The caller's consumer may belong to a group; this class never commits.
 */
public final class DeadLetterReader {
  private static final Duration STALL_LIMIT = Duration.ofSeconds(60);

  private DeadLetterReader() {}

  /** A read_committed consumer for dead letters; {@code group} may be null. */
  public static KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> clientConfig, String group) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 65 * 1024 * 1024);
    config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 65 * 1024 * 1024);
    if (group != null) {
      config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    } else {
      config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    }
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  public static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
    var infos = consumer.partitionsFor(topic);
    if (infos == null || infos.isEmpty()) {
      throw new IllegalArgumentException("no topic " + topic);
    }
    return infos.stream().map(p -> new TopicPartition(topic, p.partition()))
        .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
  }

  /** The partition's first offset and its end (last stable offset); assigns the partition to the consumer. */
  public static Range range(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp) {
    // assigned first: a read_committed consumer only tracks the stable end of assigned partitions
    consumer.assign(List.of(tp));
    return new Range(consumer.beginningOffsets(List.of(tp)).get(tp), consumer.endOffsets(List.of(tp)).get(tp));
  }

  /** Offsets {@code [first, end)} of one partition. */
  public record Range(long first, long end) {}

  /** Hands every letter in {@code [from, end)} of the partition to {@code handler}, in offset order. */
  public static void read(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, long from, long end,
      Consumer<DeadLetter> handler) {
    consumer.assign(List.of(tp));
    consumer.seek(tp, from);
    long lastProgress = System.nanoTime();
    long position = from;
    while (position < end) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500)).records(tp)) {
        if (record.offset() < end) {
          handler.accept(DeadLetter.of(record));
        }
      }
      long now = consumer.position(tp);
      if (now > position) {
        position = now;
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > STALL_LIMIT.toNanos()) {
        throw new IllegalStateException("no progress reading " + tp + " at offset " + position);
      }
    }
  }
}
