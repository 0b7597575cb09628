package dev.mediaflow.ingest.client;

import dev.mediaflow.schemas.avro.MediaEvent;
import dev.mediaflow.schemas.deadletter.DeadLetters;
import dev.mediaflow.schemas.identity.ItemIdentity;
import dev.mediaflow.schemas.topics.ItemKeys;
import dev.mediaflow.schemas.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The JVM client: sends media events to the raw topic with an idempotent, acks=all producer.
 * A returned future completes once the broker has the event durably; only then may a caller
 * report the item as accepted. Items above {@link #maxRecordBytes()} fail with
 * {@link ItemTooLargeException} before touching the network.
 */
public final class MediaProducer implements AutoCloseable {
  /** Default largest serialized event (the raw topic's max.message.bytes must allow it). */
  public static final int DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;
  /** Default time a send may take, from {@link #send} to the broker's acknowledgement or failure. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);
  private static final int LINGER_MS = 5;

  private final Topics topics;
  private final KafkaProducer<byte[], byte[]> producer;
  private final int maxRecordBytes;
  private volatile Metric bufferAvailable;

  /**
   * A producer whose sends end within {@link #DEFAULT_CALL_TIMEOUT}.
   *
   * @param kafka client settings; {@code bootstrap.servers} required, anything else passes
   *     through (our defaults: idempotence on, acks=all, max.request.size = 64 MiB + headroom)
   */
  public MediaProducer(Map<String, Object> kafka, Topics topics) {
    this(kafka, topics, DEFAULT_CALL_TIMEOUT);
  }

  /**
   * @param kafka as in {@link #MediaProducer(Map, Topics)}
   * @param callTimeout how long a send may take in all: a returned future fails by then at the
   *     latest (delivery.timeout.ms), and {@link #send} itself blocks at most half of it when the
   *     producer has no metadata or no buffer (max.block.ms), so a caller with this deadline
   *     never waits minutes on a dead broker
   */
  public MediaProducer(Map<String, Object> kafka, Topics topics, Duration callTimeout) {
    this(kafka, topics, callTimeout, config -> new KafkaProducer<>(config, new ByteArraySerializer(),
        new ByteArraySerializer()));
  }

  /**
   * As {@link #MediaProducer(Map, Topics, Duration)}, the Kafka producer made by {@code create}
   * from the final settings (a service's client factory, which binds its metrics).
   */
  public MediaProducer(Map<String, Object> kafka, Topics topics, Duration callTimeout,
      Function<Map<String, Object>, KafkaProducer<byte[], byte[]>> create) {
    this.topics = topics;
    Map<String, Object> config = settings(kafka, callTimeout);
    this.maxRecordBytes = maxRequestSize(config) - 1024 * 1024;
    this.producer = create.apply(config);
  }

  static Map<String, Object> settings(Map<String, Object> kafka, Duration callTimeout) {
    int timeoutMs = (int) Math.min(Integer.MAX_VALUE, callTimeout.toMillis());
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, DEFAULT_MAX_RECORD_BYTES + 1024 * 1024);
    config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024);
    // A record not acknowledged within the call's deadline fails then (the caller answers 503 and
    // the client retries; identity makes a retry an overwrite). Kafka requires
    // delivery.timeout.ms >= linger.ms + request.timeout.ms.
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(30_000, Math.max(1, timeoutMs - LINGER_MS)));
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.max(1, timeoutMs / 2));
    config.putAll(kafka);
    return config;
  }

  private static int maxRequestSize(Map<String, Object> config) {
    Object value = config.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    return value instanceof Number n ? n.intValue() : Integer.parseInt(value.toString());
  }

  public int maxRecordBytes() {
    return maxRecordBytes;
  }

  /**
   * Sends one event; the future completes when it is durable on the broker, or fails with an
   * {@link IllegalArgumentException} when its identity could never be stored (see
   * {@link ItemIdentity#validateStored}).
   */
  public CompletableFuture<RecordMetadata> send(MediaEvent event) {
    Optional<String> badIdentity = ItemIdentity.validateStored(event.getIdentity());
    if (badIdentity.isPresent()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(badIdentity.get()));
    }
    String topic = topics.raw().name();
    byte[] value;
    try {
      value = topics.raw().valueSerde().serializer().serialize(topic, event);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (value.length > maxRecordBytes) {
      return CompletableFuture.failedFuture(new ItemTooLargeException(value.length, maxRecordBytes));
    }
    byte[] key = topics.raw().keySerde().serializer().serialize(topic, ItemKeys.of(event.getIdentity()));
    return sendBytes(new ProducerRecord<>(topic, key, value));
  }

  /** Sends a rejected item to the dead-letter topic (see {@link DeadLetters}). */
  public CompletableFuture<RecordMetadata> sendDeadLetter(String key, byte[] value, Headers headers) {
    String topic = topics.deadLetter().name();
    byte[] keyBytes = key == null ? null : topics.deadLetter().keySerde().serializer().serialize(topic, key);
    return sendBytes(new ProducerRecord<>(topic, null, keyBytes, value, headers));
  }

  private CompletableFuture<RecordMetadata> sendBytes(ProducerRecord<byte[], byte[]> record) {
    CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
    try {
      producer.send(record, (metadata, error) -> {
        if (error != null) {
          result.completeExceptionally(error);
        } else {
          result.complete(metadata);
        }
      });
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  /**
   * Bytes free in the producer's buffer (Kafka's {@code buffer-available-bytes} metric), so the
   * gateway can answer 429 at once rather than block a call for max.block.ms on a full buffer;
   * {@link Long#MAX_VALUE} when the metric is not there.
   */
  public long bufferAvailableBytes() {
    Metric metric = bufferAvailable;
    if (metric == null) {
      metric = producer.metrics().entrySet().stream()
          .filter(e -> e.getKey().name().equals("buffer-available-bytes") && e.getKey().group().equals("producer-metrics"))
          .map(Map.Entry::getValue).findFirst().orElse(null);
      bufferAvailable = metric;
    }
    return metric != null && metric.metricValue() instanceof Number n ? n.longValue() : Long.MAX_VALUE;
  }

  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close();
  }
}
