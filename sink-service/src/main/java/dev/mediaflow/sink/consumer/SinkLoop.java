package dev.mediaflow.sink.consumer;

import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.schemas.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's consume loop. Each partition's records are written in order by a writer of their
 * own ({@link PartitionBatch}, through {@link RecordHandler}): stored, dead-lettered when a
 * store refuses the item for good, retried with capped backoff while a store is away.
 *
 * <p>While a partition's batch is being written the partition is paused and this thread keeps
 * polling, so a partition that waits on a store holds up neither the other partitions nor the
 * group membership; when the batch ends the partition is resumed (rewound first if the batch
 * ended early). Memory stays bounded: at most one poll's records per partition are in flight.
 *
 * <p>Offsets are committed only for records handled (stored or dead-lettered), per partition,
 * including the finished part of a batch still waiting. Writes are idempotent, so a crash
 * between write and commit only repeats a write. On revocation the writers of the revoked
 * partitions finish their current write, their progress is committed and forgotten; on stop,
 * every writer finishes its current write and everything handled is committed.
 */
public final class SinkLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(SinkLoop.class);
  private static final Duration IDLE_POLL = Duration.ofMillis(500);
  /** Longest wait for a writer to end before polling again while partitions are in flight. */
  private static final Duration BUSY_WAIT = Duration.ofMillis(50);
  private static final Duration COMMIT_INTERVAL = Duration.ofMillis(200);
  /** How long a revocation or a stop waits for a write in progress (S3 and SQL calls time out sooner). */
  private static final Duration WRITER_GRACE = Duration.ofSeconds(40);

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final RecordHandler handler;
  private final Map<TopicPartition, PartitionBatch> inFlight = new HashMap<>();
  private final BlockingQueue<PartitionBatch> finished = new LinkedBlockingQueue<>();
  private final CommitBook commits = new CommitBook();
  private final ExecutorService writers = Executors.newCachedThreadPool(new WriterThreads());
  /** Partitions taken from this loop by rebalances (revoked or lost): each stopped its writer. */
  private final AtomicLong partitionsRevoked = new AtomicLong();
  private long lastCommitNanos = System.nanoTime();
  private volatile boolean running = true;

  /** A loop over {@code topics}' processed topic, dead-lettering to its dead-letter topic. */
  public SinkLoop(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> deadLetters, Topics topics,
      ItemWriter writer) {
    this(consumer, deadLetters, topics.processed().name(), topics.deadLetter().name(),
        topics.processed().valueSerde().deserializer(), writer);
  }

  /**
   * @param consumer a consumer with auto-commit off, not yet subscribed; this loop owns and closes it
   * @param deadLetters producer of dead letters; the caller closes it after the loop ended
   * @param decoder reads the processed topic's values
   * @param writer stores one item; its failures are classified by {@link dev.mediaflow.sink.StoreFailure}
   */
  public SinkLoop(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> deadLetters, String processedTopic,
      String deadLetterTopic, Deserializer<ProcessedMedia> decoder, ItemWriter writer) {
    this.consumer = consumer;
    this.topic = processedTopic;
    this.handler = new RecordHandler(deadLetters, deadLetterTopic, decoder, writer);
  }

  @Override
  public void run() {
    consumer.subscribe(List.of(topic), new Rebalance());
    try {
      while (running) {
        try {
          pollOnce();
        } catch (WakeupException e) {
          throw e;
        } catch (KafkaException e) {
          // Broker away or a rebalance under way: writers keep their place, commits are retried.
          LOG.warn("Kafka unavailable or group changed, continuing: {}", e.toString());
          pauseQuietly(1000);
        }
      }
    } catch (WakeupException e) {
      // stop() was called
    } finally {
      shutDown();
    }
  }

  /** One turn: poll the partitions not in flight, start their writers, settle finished ones, commit. */
  private void pollOnce() {
    ConsumerRecords<byte[], byte[]> records = consumer.poll(inFlight.isEmpty() ? IDLE_POLL : Duration.ZERO);
    startWriters(records);
    settleFinished(records.isEmpty() && !inFlight.isEmpty() ? BUSY_WAIT : Duration.ZERO);
    if (System.nanoTime() - lastCommitNanos >= COMMIT_INTERVAL.toNanos()) {
      try {
        commitHandled();
      } catch (RebalanceInProgressException e) {
        // The group is rebalancing (a member joins or leaves): the progress stays in the book and
        // the next turn commits it, after poll() has taken part in the rebalance. Not an outage,
        // so no pause: pausing here held back every partition of this sink for a second.
        LOG.debug("commit deferred, the group is rebalancing: {}", e.toString());
        lastCommitNanos -= COMMIT_INTERVAL.toNanos();
      }
    }
  }

  private void startWriters(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition partition : records.partitions()) {
      PartitionBatch batch = new PartitionBatch(partition, records.records(partition), handler, finished::add);
      inFlight.put(partition, batch);
      consumer.pause(List.of(partition));
      writers.execute(batch);
    }
  }

  /** Takes in the batches that ended (waiting up to {@code wait} for the first): progress, rewind, resume. */
  private void settleFinished(Duration wait) {
    List<PartitionBatch> ended = new ArrayList<>();
    try {
      PartitionBatch first = finished.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
      if (first != null) {
        ended.add(first);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    finished.drainTo(ended);
    for (PartitionBatch batch : ended) {
      if (inFlight.get(batch.partition()) != batch) {
        continue; // revoked or lost meanwhile: no longer ours to commit
      }
      inFlight.remove(batch.partition());
      noteProgress(batch);
      if (running && !batch.complete()) {
        consumer.seek(batch.partition(), batch.nextOffset());
      }
      consumer.resume(List.of(batch.partition()));
    }
  }

  private void noteProgress(PartitionBatch batch) {
    if (batch.progressed()) {
      commits.handledUpTo(batch.partition(), batch.nextOffset());
    }
  }

  /** Commits, per partition, every record handled so far (finished batches and the done part of running ones). */
  private void commitHandled() {
    inFlight.values().forEach(this::noteProgress);
    Map<TopicPartition, OffsetAndMetadata> offsets = commits.progress();
    lastCommitNanos = System.nanoTime();
    if (!offsets.isEmpty()) {
      consumer.commitSync(offsets);
      commits.committed(offsets);
    }
  }

  private void commitQuietly() {
    for (int attempt = 1; attempt <= 2; attempt++) {
      try {
        commitHandled();
        return;
      } catch (WakeupException e) {
        // the wakeup of stop(), still pending when the loop ended: consumed now, commit again
      } catch (KafkaException e) {
        LOG.warn("commit failed; the last items will be written again by the next owner: {}", e.toString());
        return;
      }
    }
  }

  /** Stops the writers of {@code partitions} after their current write and waits for them. */
  private void stopWriters(Collection<TopicPartition> partitions) {
    List<PartitionBatch> stopping = new ArrayList<>();
    for (TopicPartition partition : partitions) {
      PartitionBatch batch = inFlight.get(partition);
      if (batch != null) {
        batch.abort();
        stopping.add(batch);
      }
    }
    long deadline = System.nanoTime() + WRITER_GRACE.toNanos();
    for (PartitionBatch batch : stopping) {
      if (!batch.awaitDone(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
        // its write may still land (harmless: writes are idempotent); what it does from now on is not committed
        LOG.warn("writer of {} still busy after {}; leaving it", batch.partition(), WRITER_GRACE);
      }
    }
  }

  /** Forgets partitions this loop no longer owns, so nothing commits or seeks them again. */
  private void forget(Collection<TopicPartition> partitions) {
    partitions.forEach(inFlight::remove);
    commits.forget(partitions);
  }

  private void shutDown() {
    try {
      stopWriters(new ArrayList<>(inFlight.keySet()));
      settleFinished(Duration.ZERO);
      commitQuietly();
      // a writer still busy past the grace is left behind: close() must not wait for it again
      inFlight.clear();
    } finally {
      writers.shutdownNow();
      consumer.close();
      LOG.info("sink stopped: {} items stored, {} dead-lettered", stored(), deadLettered());
    }
  }

  private static void pauseQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public long stored() {
    return handler.stored();
  }

  public long deadLettered() {
    return handler.deadLettered();
  }

  /** How many partitions are waiting on a store right now (transient failure being retried). */
  public int partitionsWaiting() {
    return handler.waiting();
  }

  /**
   * Partitions this loop gave up in rebalances so far (revoked or lost). With incremental
   * rebalancing an instance joining takes only the partitions that move to it; the others keep
   * their writers.
   */
  public long partitionsRevoked() {
    return partitionsRevoked.get();
  }

  /** Asks the loop to finish the current writes, commit, and return. */
  public void stop() {
    running = false;
    consumer.wakeup();
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty() && running) { // not the close() of a stopping sink
        partitionsRevoked.addAndGet(partitions.size());
        LOG.info("sink revoked {}", partitions);
      }
      stopWriters(partitions);
      for (TopicPartition partition : partitions) {
        PartitionBatch batch = inFlight.get(partition);
        if (batch != null) {
          noteProgress(batch);
        }
      }
      commitQuietly();
      forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // already someone else's: stop writing them, commit nothing
      partitionsRevoked.addAndGet(partitions.size());
      LOG.warn("sink lost {} (its membership expired)", partitions);
      stopWriters(partitions);
      forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      LOG.info("sink assigned {}", partitions);
    }
  }

  /** Writer threads: one per partition in flight at most, daemons, idle ones end after a minute. */
  private static final class WriterThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable runnable) {
      Thread thread = new Thread(runnable, "sink-writer-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
