package dev.mediaflow.ops.kafka;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/** Offsets of topics and consumer groups, read through the Admin API. */
public final class Offsets {
  private final Admin admin;

  public Offsets(Admin admin) {
    this.admin = admin;
  }

  /** The topic's partitions, in order; fails if the topic does not exist. */
  public List<TopicPartition> partitions(String topic) {
    return describe(topic).partitions().stream()
        .map(p -> new TopicPartition(topic, p.partition()))
        .sorted(Comparator.comparingInt(TopicPartition::partition))
        .toList();
  }

  public short replicationFactor(String topic) {
    return (short) describe(topic).partitions().get(0).replicas().size();
  }

  /** First offset of each partition. */
  public Map<TopicPartition, Long> earliest(String topic) {
    return list(topic, tp -> OffsetSpec.earliest());
  }

  /** End of each partition as a read_committed consumer sees it (the last stable offset). */
  public Map<TopicPartition, Long> latest(String topic) {
    return list(topic, tp -> OffsetSpec.latest());
  }

  /** First offset at or after {@code time} in each partition; the end where nothing is that recent. */
  public Map<TopicPartition, Long> at(String topic, Instant time) {
    Map<TopicPartition, Long> found = list(topic, tp -> OffsetSpec.forTimestamp(time.toEpochMilli()));
    Map<TopicPartition, Long> end = latest(topic);
    Map<TopicPartition, Long> result = new HashMap<>();
    found.forEach((tp, offset) -> result.put(tp, offset >= 0 ? offset : end.get(tp)));
    return result;
  }

  /** The group's committed offsets on {@code topic}; partitions without one are absent. */
  public Map<TopicPartition, Long> committed(String group, String topic) {
    Map<TopicPartition, OffsetAndMetadata> all =
        get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(), "read offsets of group " + group);
    Map<TopicPartition, Long> result = new HashMap<>();
    all.forEach((tp, om) -> {
      if (om != null && tp.topic().equals(topic)) {
        result.put(tp, om.offset());
      }
    });
    return result;
  }

  /** Sets the group's committed offsets; the group must have no active member. */
  public void commit(String group, Map<TopicPartition, Long> offsets) {
    Map<TopicPartition, OffsetAndMetadata> request = offsets.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue())));
    get(admin.alterConsumerGroupOffsets(group, request).all(), "set offsets of group " + group);
  }

  private TopicDescription describe(String topic) {
    return get(admin.describeTopics(List.of(topic)).topicNameValues().get(topic), "describe topic " + topic);
  }

  private Map<TopicPartition, Long> list(String topic, Function<TopicPartition, OffsetSpec> spec) {
    Map<TopicPartition, OffsetSpec> request = partitions(topic).stream()
        .collect(Collectors.toMap(Function.identity(), spec));
    Map<TopicPartition, ListOffsetsResultInfo> infos = get(
        admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all(),
        "list offsets of " + topic);
    Map<TopicPartition, Long> result = new HashMap<>();
    infos.forEach((tp, info) -> result.put(tp, info.offset()));
    return result;
  }

  private static <T> T get(KafkaFuture<T> future, String what) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while trying to " + what, e);
    }
  }
}
