package dev.mediaflow.transform.topology;

import dev.mediaflow.schemas.avro.MediaIdentity;
import dev.mediaflow.schemas.topics.Topics;
import dev.mediaflow.transform.MediaTransformer;
import dev.mediaflow.transform.TransformConfig;
import java.util.concurrent.atomic.AtomicLong;
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
 *
 * <p>A replay reads the regular raw topic ({@code input}) and writes its own processed and
 * dead-letter topics ({@code output}), optionally only for one project or run; node names
 * are the same in every variant.
 */
public final class TransformTopology {
  public static final String SOURCE = "raw-source";
  public static final String PROCESSOR = "media-transform";
  public static final String PROCESSED_SINK = "processed-sink";
  public static final String DEAD_LETTER_SINK = "dead-letter-sink";
  /**
   * Largest processed event, serialized: the record limit of every topic (64 MiB), leaving
   * the producer's 1 MiB of headroom for key and headers.
   */
  public static final int MAX_PROCESSED_BYTES = TransformConfig.MAX_RECORD_BYTES;
  private TransformTopology() {}

  /** The regular topology: every event of {@code topics}' raw topic, results to the same namespace. */
  public static Topology build(Topics topics, MediaTransformer transformer) {
    return build(topics, topics, transformer, ItemFilter.ALL, new Counts());
  }

  /**
   * @param input whose raw topic is read
   * @param output whose processed and dead-letter topics are written
   * @param filter events it does not match are skipped (not dead-lettered)
   * @param counts incremented by every task of the topology
   */
  public static Topology build(
      Topics input, Topics output, MediaTransformer transformer, ItemFilter filter, Counts counts) {
    return build(input, output, transformer, filter, counts, MAX_PROCESSED_BYTES);
  }

  /**
   * @param maxProcessedBytes largest serialized processed event; a larger result is that
   *     item's dead letter (the producer would refuse it and stop the task)
   */
  public static Topology build(Topics input, Topics output, MediaTransformer transformer, ItemFilter filter,
      Counts counts, int maxProcessedBytes) {
    Topology topology = new Topology();
    topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), input.raw().name());
    topology.addProcessor(PROCESSOR,
        () -> new MediaTransformProcessor(input, output, transformer, filter, counts, maxProcessedBytes), SOURCE);
    // the processor serializes the value itself (to check its size), so this sink writes bytes
    topology.addSink(PROCESSED_SINK, output.processed().name(),
        output.processed().keySerde().serializer(), new ByteArraySerializer(), PROCESSOR);
    topology.addSink(DEAD_LETTER_SINK, output.deadLetter().name(),
        new ByteArraySerializer(), new ByteArraySerializer(), PROCESSOR);
    return topology;
  }

  /** Which raw events a topology transforms: one project, one run of it, or all ({@code null}s). */
  public record ItemFilter(String project, String run) {
    public static final ItemFilter ALL = new ItemFilter(null, null);

    public ItemFilter {
      if (run != null && project == null) {
        throw new IllegalArgumentException("a run filter needs a project filter");
      }
    }

    public boolean isAll() {
      return project == null;
    }

    public boolean matches(MediaIdentity identity) {
      return (project == null || project.equals(identity.getProject()))
          && (run == null || run.equals(identity.getRun()));
    }
  }

  /**
   * What this instance's tasks did, for progress and summaries. Counted when a record is
   * handed to Kafka Streams, so a transaction aborted and retried counts its records again.
   */
  public static final class Counts {
    private final AtomicLong transformed = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    public long transformed() {
      return transformed.get();
    }

    public long deadLettered() {
      return deadLettered.get();
    }

    /** Events left out by the {@link ItemFilter}. */
    public long skipped() {
      return skipped.get();
    }

    void addTransformed() {
      transformed.incrementAndGet();
    }

    void addDeadLettered() {
      deadLettered.incrementAndGet();
    }

    void addSkipped() {
      skipped.incrementAndGet();
    }
  }
}
