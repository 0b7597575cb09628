package dev.mediaflow.sink.consumer;

import dev.mediaflow.schemas.avro.MediaIdentity;
import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.schemas.deadletter.DeadLetters;
import dev.mediaflow.schemas.deadletter.DeadLetters.SourcePosition;
import dev.mediaflow.schemas.topics.ItemKeys;
import dev.mediaflow.sink.StoreFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one processed record to its end: stored, or dead-lettered with its identity and the
 * store's answer. A transient failure (of the stores, or of the schema registry while decoding)
 * is retried with capped exponential backoff until it passes or the caller's
 * {@link StopSignal} is raised; a permanent one (see {@link StoreFailure#classify}) dead-letters
 * the item at once, as do bytes that are not a processed event. Thread-safe: one instance
 * serves every partition's writer.
 */
final class RecordHandler {
  private static final Logger LOG = LoggerFactory.getLogger(RecordHandler.class);
  static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  private final Producer<byte[], byte[]> deadLetters;
  private final String deadLetterTopic;
  private final Deserializer<ProcessedMedia> decoder;
  private final ItemWriter writer;
  private final AtomicLong stored = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicInteger waiting = new AtomicInteger();

  RecordHandler(Producer<byte[], byte[]> deadLetters, String deadLetterTopic, Deserializer<ProcessedMedia> decoder,
      ItemWriter writer) {
    this.deadLetters = deadLetters;
    this.deadLetterTopic = deadLetterTopic;
    this.decoder = decoder;
    this.writer = writer;
  }

  /** Returns true once the record is durably handled (stored or dead-lettered); false if stopped first. */
  boolean handle(ConsumerRecord<byte[], byte[]> record, StopSignal stop) {
    try (Retry retry = new Retry(record, stop)) {
      while (!stop.isRaised()) {
        ProcessedMedia event;
        try {
          event = decode(record);
        } catch (RuntimeException e) {
          StoreFailure failure = StoreFailure.classify(e);
          if (failure.kind() != StoreFailure.Kind.TRANSIENT) {
            // bytes that are not a processed event never will be: whatever the exception, dead-letter
            return deadLetter(record, identityFromKey(record), "undecodable processed event: " + e.getMessage(), e, stop);
          }
          retry.waitAfter(failure, identityFromKey(record), e);
          continue;
        }
        try {
          writer.write(event);
          stored.incrementAndGet();
          return true;
        } catch (RuntimeException e) {
          StoreFailure failure = StoreFailure.classify(e);
          if (failure.permanent()) {
            return deadLetter(record, event.getIdentity(), "sink: " + failure.reason(), e, stop);
          }
          retry.waitAfter(failure, event.getIdentity(), e);
        }
      }
      return false;
    }
  }

  private ProcessedMedia decode(ConsumerRecord<byte[], byte[]> record) {
    ProcessedMedia event = decoder.deserialize(record.topic(), record.value());
    if (event == null) {
      throw new IllegalArgumentException("empty value (tombstone) on the processed topic");
    }
    return event;
  }

  private boolean deadLetter(ConsumerRecord<byte[], byte[]> record, MediaIdentity identity, String reason,
      Throwable error, StopSignal stop) {
    Headers headers = DeadLetters.withRedriveMarker(DeadLetters.headers("sink", reason, error, identity,
        new SourcePosition(record.topic(), record.partition(), record.offset())), record.headers());
    ProducerRecord<byte[], byte[]> letter =
        new ProducerRecord<>(deadLetterTopic, null, record.key(), record.value(), headers);
    long backoffMs = FIRST_BACKOFF.toMillis();
    while (true) {
      try {
        deadLetters.send(letter).get();
        deadLettered.incrementAndGet();
        LOG.warn("dead-lettered {}-{}@{} ({}): {}", record.topic(), record.partition(), record.offset(),
            identity == null ? "identity unknown" : ItemKeys.of(identity), reason);
        return true;
      } catch (ExecutionException e) {
        LOG.error("cannot dead-letter record at {}-{}@{}, retrying in {} ms", record.topic(), record.partition(),
            record.offset(), backoffMs, e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      if (!stop.pause(backoffMs)) {
        return false;
      }
      backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF.toMillis());
    }
  }

  /** The identity in an undecodable record's key (an {@link ItemKeys} string), or null. */
  private static MediaIdentity identityFromKey(ConsumerRecord<byte[], byte[]> record) {
    return record.key() == null ? null
        : ItemKeys.parse(new String(record.key(), StandardCharsets.UTF_8)).orElse(null);
  }

  long stored() {
    return stored.get();
  }

  long deadLettered() {
    return deadLettered.get();
  }

  /** How many writers are waiting on a store right now (one per partition at most). */
  int waiting() {
    return waiting.get();
  }

  /** The backoff of one record's retries; counts the record's partition as waiting until closed. */
  private final class Retry implements AutoCloseable {
    private final ConsumerRecord<byte[], byte[]> record;
    private final StopSignal stop;
    private long backoffMs = FIRST_BACKOFF.toMillis();
    private int attempt;

    Retry(ConsumerRecord<byte[], byte[]> record, StopSignal stop) {
      this.record = record;
      this.stop = stop;
    }

    /** Logs the failure and waits before the next attempt (less if the stop signal is raised). */
    void waitAfter(StoreFailure failure, MediaIdentity id, RuntimeException error) {
      if (++attempt == 1) {
        waiting.incrementAndGet();
      }
      String item = id == null ? "an item" : ItemKeys.of(id);
      if (failure.kind() == StoreFailure.Kind.UNKNOWN) {
        // not dead-lettered on a guess (see StoreFailure): an operator must look at it
        LOG.error("unrecognised failure storing {} ({}-{}@{}), attempt {}, retrying in {} ms; this partition waits",
            item, record.topic(), record.partition(), record.offset(), attempt, backoffMs,
            attempt == 1 ? error : null);
      } else {
        LOG.warn("store unavailable for {} ({}-{}@{}), attempt {}, retrying in {} ms: {}", item,
            record.topic(), record.partition(), record.offset(), attempt, backoffMs, failure.reason());
      }
      stop.pause(backoffMs);
      backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF.toMillis());
    }

    @Override
    public void close() {
      if (attempt > 0) {
        waiting.decrementAndGet();
      }
    }
  }
}
