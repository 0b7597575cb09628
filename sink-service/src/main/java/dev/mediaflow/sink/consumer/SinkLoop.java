package dev.mediaflow.sink.consumer;

import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.schemas.deadletter.DeadLetters;
import dev.mediaflow.schemas.deadletter.DeadLetters.SourcePosition;
import dev.mediaflow.schemas.topics.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's consume loop. For each processed record it writes the objects and the row
 * (through {@code writer}), retrying with capped exponential backoff while S3 or the SQL
 * store is down, and commits a record's offset only after its write returned. Writes are
 * idempotent, so a crash between write and commit only repeats a write, never doubles an
 * item. Records that cannot be decoded go to the dead-letter topic and are committed.
 */
public final class SinkLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(SinkLoop.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> deadLetters;
  private final Topics topics;
  private final Consumer<ProcessedMedia> writer;
  private final Map<TopicPartition, OffsetAndMetadata> written = new HashMap<>();
  private final AtomicLong stored = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private volatile boolean running = true;
  /** One writer per partition in flight; more partitions than this queue up. */
  private final ExecutorService writers = Executors.newFixedThreadPool(4, runnable -> {
    Thread thread = new Thread(runnable, "sink-writer");
    thread.setDaemon(true);
    return thread;
  });

  public SinkLoop(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> deadLetters, Topics topics,
      Consumer<ProcessedMedia> writer) {
    this.consumer = consumer;
    this.deadLetters = deadLetters;
    this.topics = topics;
    this.writer = writer;
  }

  @Override
  public void run() {
    consumer.subscribe(List.of(topics.processed().name()), new CommitOnRevoke());
    try {
      while (running) {
        try {
          handleInParallel(consumer.poll(Duration.ofMillis(500)));
          commitWritten();
        } catch (WakeupException e) {
          throw e;
        } catch (KafkaException e) {
          // Broker away or a rebalance took our partitions: writes are idempotent, so whatever
          // was not committed is simply written again by whoever reads it next.
          LOG.warn("Kafka unavailable or group changed, continuing: {}", e.toString());
          written.clear();
          sleep(1000);
        }
      }
    } catch (WakeupException e) {
      // stop() was called
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      writers.shutdownNow();
      commitQuietly();
      consumer.close();
      LOG.info("sink stopped: {} items stored, {} dead-lettered", stored.get(), deadLettered.get());
    }
  }

  /**
   * Writes each partition's records in order, the partitions side by side (S3 round trips
   * dominate a write, and they overlap well); then, on this thread (the consumer is not
   * thread-safe), marks what was written and rewinds each partition to its first record not
   * handled, so the next poll starts there.
   */
  private void handleInParallel(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
    Map<TopicPartition, Future<Integer>> handled = new HashMap<>();
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> inOrder = records.records(partition);
      handled.put(partition, writers.submit(() -> handleInOrder(inOrder)));
    }
    for (Map.Entry<TopicPartition, Future<Integer>> entry : handled.entrySet()) {
      List<ConsumerRecord<byte[], byte[]>> inOrder = records.records(entry.getKey());
      int count = outcome(entry.getValue());
      if (count > 0) {
        written.put(entry.getKey(), new OffsetAndMetadata(inOrder.get(count - 1).offset() + 1));
      }
      if (count < inOrder.size()) {
        consumer.seek(entry.getKey(), inOrder.get(count).offset());
      }
    }
  }

  /** How many records, from the first, were durably handled before a stop. */
  private int handleInOrder(List<ConsumerRecord<byte[], byte[]>> records) {
    int count = 0;
    for (ConsumerRecord<byte[], byte[]> record : records) {
      if (!running || !handle(record)) {
        break;
      }
      count++;
    }
    return count;
  }

  private static int outcome(Future<Integer> future) throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      LOG.error("sink writer failed", e.getCause());
      return 0;
    }
  }

  /** Returns true once the record is durably handled (stored or dead-lettered); false if stopped first. */
  private boolean handle(ConsumerRecord<byte[], byte[]> record) {
    ProcessedMedia event;
    try {
      event = topics.processed().valueSerde().deserializer().deserialize(record.topic(), record.value());
      if (event == null) {
        throw new IllegalArgumentException("empty value (tombstone) on the processed topic");
      }
    } catch (RuntimeException e) {
      return deadLetter(record, "undecodable processed event: " + e.getMessage(), e);
    }
    long backoffMs = 200;
    while (running) {
      try {
        writer.accept(event);
        stored.incrementAndGet();
        return true;
      } catch (IllegalArgumentException e) {
        // the item itself is unacceptable to the store: retrying would never succeed
        return deadLetter(record, "sink refused item: " + e.getMessage(), e);
      } catch (RuntimeException e) {
        LOG.warn("store unavailable, retrying in {} ms: {}", backoffMs, e.toString());
        sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF.toMillis());
      }
    }
    return false;
  }

  private boolean deadLetter(ConsumerRecord<byte[], byte[]> record, String reason, Throwable error) {
    var headers = DeadLetters.withRedriveMarker(DeadLetters.headers("sink", reason, error, null,
        new SourcePosition(record.topic(), record.partition(), record.offset())), record.headers());
    try {
      deadLetters.send(new ProducerRecord<>(topics.deadLetter().name(), null, record.key(), record.value(), headers)).get();
      deadLettered.incrementAndGet();
      return true;
    } catch (Exception e) {
      LOG.error("cannot dead-letter record at {}-{}@{}", record.topic(), record.partition(), record.offset(), e);
      return false;
    }
  }

  private void commitQuietly() {
    try {
      commitWritten();
    } catch (KafkaException e) {
      LOG.warn("final commit failed; the last items will be written again on restart: {}", e.toString());
    }
  }

  private void commitWritten() {
    if (!written.isEmpty()) {
      consumer.commitSync(written);
      written.clear();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public long stored() {
    return stored.get();
  }

  public long deadLettered() {
    return deadLettered.get();
  }

  /** Asks the loop to finish the current record, commit, and return. */
  public void stop() {
    running = false;
    consumer.wakeup();
  }

  private final class CommitOnRevoke implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      commitQuietly();
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      LOG.info("sink assigned {}", partitions);
    }
  }
}
