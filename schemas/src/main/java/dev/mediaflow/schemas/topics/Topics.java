package dev.mediaflow.schemas.topics;

import dev.mediaflow.schemas.avro.MediaEvent;
import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.schemas.serde.ConfluentAvroSerde;
import dev.mediaflow.schemas.serde.SchemaRegistryClient;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The one place topic names and their serdes are spelled. Services take a {@code Topics}
 * and never name a topic themselves. A namespace prefix lets a replay write into a separate
 * set of topics (e.g. {@code replay1.mediaflow.media.processed}).
 *
 * <p>Keys are UTF-8 item identities ({@link ItemKeys}); values are Confluent-framed Avro,
 * except the dead-letter topic whose values are the rejected bytes as they arrived.
 */
public final class Topics {
  public static final String RAW = "mediaflow.media.raw";
  public static final String PROCESSED = "mediaflow.media.processed";
  public static final String DEAD_LETTER = "mediaflow.deadletter";

  private final Topic<String, MediaEvent> raw;
  private final Topic<String, ProcessedMedia> processed;
  private final Topic<String, byte[]> deadLetter;

  public Topics(SchemaRegistryClient registry) {
    this(registry, "");
  }

  public Topics(SchemaRegistryClient registry, String namespace) {
    this.raw = new Topic<>(namespace + RAW, Serdes.String(),
        new ConfluentAvroSerde<>(registry, MediaEvent.getClassSchema(), false));
    this.processed = new Topic<>(namespace + PROCESSED, Serdes.String(),
        new ConfluentAvroSerde<>(registry, ProcessedMedia.getClassSchema(), false));
    this.deadLetter = new Topic<>(namespace + DEAD_LETTER, Serdes.String(), Serdes.ByteArray());
  }

  /** Media events as producers logged them. */
  public Topic<String, MediaEvent> raw() {
    return raw;
  }

  /** Media items after the transform: encoded objects plus metadata. */
  public Topic<String, ProcessedMedia> processed() {
    return processed;
  }

  /** Rejected items from every stage, with {@link dev.mediaflow.schemas.deadletter.DeadLetters} headers. */
  public Topic<String, byte[]> deadLetter() {
    return deadLetter;
  }

}
