package dev.mediaflow.transform.topology;

import dev.mediaflow.schemas.avro.MediaEvent;
import dev.mediaflow.schemas.avro.MediaIdentity;
import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.schemas.deadletter.DeadLetters;
import dev.mediaflow.schemas.deadletter.DeadLetters.SourcePosition;
import dev.mediaflow.schemas.serde.SchemaRegistryException;
import dev.mediaflow.schemas.topics.ItemKeys;
import dev.mediaflow.schemas.topics.Topics;
import dev.mediaflow.transform.MediaRejectedException;
import dev.mediaflow.transform.MediaTransformer;
import dev.mediaflow.transform.topology.TransformTopology.Counts;
import dev.mediaflow.transform.topology.TransformTopology.ItemFilter;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes one raw event, applies the media rules and forwards the result to the processed
 * sink; anything that cannot be processed goes to the dead-letter sink with the shared
 * headers. Nothing thrown by one item reaches Kafka Streams, so one bad item never stops
 * the stream. Events the filter does not match are skipped; with a filter, so are undecodable
 * ones (they cannot match, and the regular transform dead-lettered them already).
 *
 * <p>The processed event is serialized here, not by the sink node, so that an item whose
 * result is larger than a record may be (a noise video, a raised point limit) becomes that
 * item's dead letter: left to the producer it would fail the task, and a replaced thread
 * would meet the same record again, for ever.
 */
final class MediaTransformProcessor implements Processor<byte[], byte[], Object, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(MediaTransformProcessor.class);

  private final Topics topics;
  private final Topics output;
  private final MediaTransformer transformer;
  private final ItemFilter filter;
  private final Counts counts;
  private final int maxProcessedBytes;
  private ProcessorContext<Object, Object> context;

  /**
   * @param topics whose raw topic's serde decodes the input
   * @param output whose processed topic's serde encodes the result
   * @param maxProcessedBytes largest serialized result forwarded; larger ones are dead-lettered
   */
  MediaTransformProcessor(Topics topics, Topics output, MediaTransformer transformer, ItemFilter filter,
      Counts counts, int maxProcessedBytes) {
    this.topics = topics;
    this.output = output;
    this.maxProcessedBytes = maxProcessedBytes;
    this.transformer = transformer;
    this.filter = filter;
    this.counts = counts;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    MediaEvent event;
    try {
      event = topics.raw().valueSerde().deserializer().deserialize(topics.raw().name(), record.value());
      if (event == null) {
        throw new IllegalArgumentException("empty value (tombstone) on the raw topic");
      }
    } catch (RuntimeException e) {
      waitIfRegistryUnavailable(e);
      if (filter.isAll()) {
        deadLetter(record, null, "undecodable raw event: " + e.getMessage(), e);
      } else {
        counts.addSkipped();
      }
      return;
    }
    if (!filter.matches(event.getIdentity())) {
      counts.addSkipped();
      return;
    }
    try {
      byte[] processed = serialize(transformer.transform(event));
      context.forward(new Record<Object, Object>(ItemKeys.of(event.getIdentity()), processed, record.timestamp()),
          TransformTopology.PROCESSED_SINK);
      counts.addTransformed();
    } catch (MediaRejectedException e) {
      deadLetter(record, event.getIdentity(), e.reason(), e);
    } catch (RuntimeException e) {
      waitIfRegistryUnavailable(e);
      LOG.warn("transform failed for {}", ItemKeys.of(event.getIdentity()), e);
      deadLetter(record, event.getIdentity(), "transform failed: " + e, e);
    }
  }

  /**
   * A registry that is away says nothing about the item: rethrown, the task fails and its
   * thread is replaced (see TransformService), so the record is read again later instead of
   * being dead-lettered by an outage.
   */
  private static void waitIfRegistryUnavailable(RuntimeException e) {
    if (SchemaRegistryException.isUnavailable(e)) {
      throw e;
    }
  }

  private byte[] serialize(ProcessedMedia processed) {
    byte[] bytes = output.processed().valueSerde().serializer().serialize(output.processed().name(), processed);
    if (bytes.length > maxProcessedBytes) {
      throw new MediaRejectedException("processed item is " + bytes.length + " bytes serialized, above the "
          + maxProcessedBytes + "-byte record limit (its encoded objects are larger than a record may be)");
    }
    return bytes;
  }

  private void deadLetter(Record<byte[], byte[]> record, MediaIdentity identity, String reason, Throwable error) {
    SourcePosition source = context.recordMetadata()
        .map(m -> new SourcePosition(m.topic(), m.partition(), m.offset()))
        .orElse(null);
    var headers = DeadLetters.withRedriveMarker(
        DeadLetters.headers("transform", reason, error, identity, source), record.headers());
    context.forward(new Record<Object, Object>(record.key(), record.value(), record.timestamp(), headers),
        TransformTopology.DEAD_LETTER_SINK);
    counts.addDeadLettered();
  }
}
