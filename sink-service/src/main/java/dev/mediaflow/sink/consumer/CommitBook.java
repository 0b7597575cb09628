package dev.mediaflow.sink.consumer;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Per partition, the first offset not yet handled and the last offset committed, so that a
 * commit sends only progress, and a partition given up is never committed again. Used by the
 * poll thread only.
 */
final class CommitBook {
  private final Map<TopicPartition, Long> handled = new HashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();

  /** Every record of {@code partition} before {@code nextOffset} is stored or dead-lettered. */
  void handledUpTo(TopicPartition partition, long nextOffset) {
    handled.merge(partition, nextOffset, Math::max);
  }

  /** The offsets to commit: partitions whose handled offset passed their committed one. */
  Map<TopicPartition, OffsetAndMetadata> progress() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    handled.forEach((partition, next) -> {
      Long done = committed.get(partition);
      if (done == null || next > done) {
        offsets.put(partition, new OffsetAndMetadata(next));
      }
    });
    return offsets;
  }

  /** Records a successful commit of {@code offsets}. */
  void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
  }

  /** Drops partitions no longer owned. */
  void forget(Collection<TopicPartition> partitions) {
    partitions.forEach(partition -> {
      handled.remove(partition);
      committed.remove(partition);
    });
  }
}
