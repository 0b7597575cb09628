package dev.mediaflow.transform.topology;

import dev.mediaflow.schemas.topics.Topics;
import dev.mediaflow.transform.MediaTransformer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;

/**
 * Builds the transform topology: raw events in, processed media or dead letters out.
 *
 * <pre>
 *   raw-source ──► media-transform ──► processed-sink     (topic: processed)
 *                                 └──► dead-letter-sink   (topic: dead letters)
 * </pre>
 *
 * The source reads bytes, not Avro: decoding happens inside the processor so that a poison
 * pill (garbage bytes, an unknown schema id) becomes a dead letter in the same transaction
 * instead of stopping the stream. The topology is stateless: no stores, no internal topics.
 */
public final class TransformTopology {
  public static final String SOURCE = "raw-source";
  public static final String PROCESSOR = "media-transform";
  public static final String PROCESSED_SINK = "processed-sink";
  public static final String DEAD_LETTER_SINK = "dead-letter-sink";

  private TransformTopology() {}

  public static Topology build(Topics topics, MediaTransformer transformer) {
    Topology topology = new Topology();
    topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.raw().name());
    topology.addProcessor(PROCESSOR, () -> new MediaTransformProcessor(topics, transformer), SOURCE);
    topology.addSink(PROCESSED_SINK, topics.processed().name(),
        topics.processed().keySerde().serializer(), topics.processed().valueSerde().serializer(), PROCESSOR);
    topology.addSink(DEAD_LETTER_SINK, topics.deadLetter().name(),
        new ByteArraySerializer(), new ByteArraySerializer(), PROCESSOR);
    return topology;
  }
}
