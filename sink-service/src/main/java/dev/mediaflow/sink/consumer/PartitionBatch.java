package dev.mediaflow.sink.consumer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition's records from one poll, written in order on a writer thread while the poll
 * loop keeps the partition paused. {@link #nextOffset()} is the offset after the last record
 * durably handled, safe to commit at any moment, so a partition that waits on a store still
 * commits what it did.
 */
final class PartitionBatch implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionBatch.class);

  private final TopicPartition partition;
  private final List<ConsumerRecord<byte[], byte[]>> records;
  private final RecordHandler handler;
  private final Consumer<PartitionBatch> whenDone;
  private final StopSignal stop = new StopSignal();
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile long nextOffset;

  /**
   * @param records at least one record, in offset order
   * @param whenDone called on the writer thread once the batch ends, whatever the outcome
   */
  PartitionBatch(TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> records, RecordHandler handler,
      Consumer<PartitionBatch> whenDone) {
    this.partition = partition;
    this.records = List.copyOf(records);
    this.handler = handler;
    this.whenDone = whenDone;
    this.nextOffset = records.get(0).offset();
  }

  @Override
  public void run() {
    try {
      for (ConsumerRecord<byte[], byte[]> record : records) {
        if (stop.isRaised() || !handler.handle(record, stop)) {
          break;
        }
        nextOffset = record.offset() + 1;
      }
    } catch (RuntimeException e) {
      // a bug, not a store failure (those are handled per record): the loop re-reads from nextOffset
      LOG.error("sink writer of {} failed at offset {}", partition, nextOffset, e);
      stop.pause(1000); // the loop rewinds and retries: not in a tight loop
    } finally {
      done.countDown();
      whenDone.accept(this);
    }
  }

  TopicPartition partition() {
    return partition;
  }

  /** The first offset not yet handled: every record before it is stored or dead-lettered. */
  long nextOffset() {
    return nextOffset;
  }

  /** Whether at least one record of the batch is handled. */
  boolean progressed() {
    return nextOffset > records.get(0).offset();
  }

  /** Whether every record of the batch is handled. */
  boolean complete() {
    return nextOffset > records.get(records.size() - 1).offset();
  }

  /** Asks the writer to stop after the write in progress (a backoff wait ends at once). */
  void abort() {
    stop.raise();
  }

  /** Waits for the writer to end; false if it still runs after {@code timeout}. */
  boolean awaitDone(Duration timeout) {
    try {
      return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
