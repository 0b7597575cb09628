package dev.mediaflow.transform.topology;

import dev.mediaflow.schemas.avro.MediaEvent;
import dev.mediaflow.schemas.avro.MediaIdentity;
import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.schemas.deadletter.DeadLetters;
import dev.mediaflow.schemas.deadletter.DeadLetters.SourcePosition;
import dev.mediaflow.schemas.topics.ItemKeys;
import dev.mediaflow.schemas.topics.Topics;
import dev.mediaflow.transform.MediaRejectedException;
import dev.mediaflow.transform.MediaTransformer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes one raw event, applies the media rules and forwards the result to the processed
 * sink; anything that cannot be processed goes to the dead-letter sink with the shared
 * headers. Nothing thrown by one item reaches Kafka Streams, so one bad item never stops
 * the stream.
 */
final class MediaTransformProcessor implements Processor<byte[], byte[], Object, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(MediaTransformProcessor.class);

  private final Topics topics;
  private final MediaTransformer transformer;
  private ProcessorContext<Object, Object> context;

  MediaTransformProcessor(Topics topics, MediaTransformer transformer) {
    this.topics = topics;
    this.transformer = transformer;
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
      deadLetter(record, null, "undecodable raw event: " + e.getMessage(), e);
      return;
    }
    try {
      ProcessedMedia processed = transformer.transform(event);
      context.forward(new Record<Object, Object>(ItemKeys.of(event.getIdentity()), processed, record.timestamp()),
          TransformTopology.PROCESSED_SINK);
    } catch (MediaRejectedException e) {
      deadLetter(record, event.getIdentity(), e.reason(), e);
    } catch (RuntimeException e) {
      LOG.warn("transform failed for {}", ItemKeys.of(event.getIdentity()), e);
      deadLetter(record, event.getIdentity(), "transform failed: " + e, e);
    }
  }

  private void deadLetter(Record<byte[], byte[]> record, MediaIdentity identity, String reason, Throwable error) {
    SourcePosition source = context.recordMetadata()
        .map(m -> new SourcePosition(m.topic(), m.partition(), m.offset()))
        .orElse(null);
    var headers = DeadLetters.headers("transform", reason, error, identity, source);
    context.forward(new Record<Object, Object>(record.key(), record.value(), record.timestamp(), headers),
        TransformTopology.DEAD_LETTER_SINK);
  }
}
