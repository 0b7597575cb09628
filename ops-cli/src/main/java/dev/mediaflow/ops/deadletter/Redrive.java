package dev.mediaflow.ops.deadletter;

import dev.mediaflow.schemas.deadletter.DeadLetters;
import dev.mediaflow.ops.OpsSettings;
import dev.mediaflow.schemas.topics.Topics;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Re-drives dead letters after a fix: sends each selected letter's original key and bytes back to
 * the topic it was read from (header {@code mediaflow.source.topic}), transform-stage letters to the
 * raw topic and sink-stage ones to the processed topic, with an idempotent producer.
 *
 * <p>Progress is kept in the consumer group {@value #GROUP} ({@link RedriveProgress}), committed
 * after each send is acknowledged, so running the same redrive again re-drives nothing twice.
 * A re-driven record carries {@link DeadLetters#REDRIVEN_FROM}; if the transform or the sink
 * rejects it again, the new letter carries it too and is left alone unless
 * {@code includeRedriven}: a redrive without a new fix would only bounce it once more.
 * Ingest-stage letters are not re-driven here: they never reached a topic; their value is a one-item
 * log call to post back to the gateway (header {@link DeadLetters#CONTENT_TYPE} gives its media type).
 */
public final class Redrive {
  public static final String GROUP = "mediaflow-deadletter-redrive";
  private static final Set<String> STAGES = Set.of("transform", "sink");

  private final OpsSettings settings;
  private final Topics topics;
  private final String stage;
  private final DeadLetterFilter items;
  private final boolean includeRedriven;
  private final PrintWriter out;
  private final Map<String, Integer> partitionCounts = new HashMap<>();
  private final RedriveSummary.Builder summary = new RedriveSummary.Builder();

  public Redrive(OpsSettings settings, Topics topics, String stage, String project, String run,
      boolean includeRedriven, PrintWriter out) {
    if (!STAGES.contains(stage)) {
      throw new IllegalArgumentException("--stage must be transform or sink (ingest-stage letters are re-driven"
          + " by posting their value back to the gateway): " + stage);
    }
    if (run != null && project == null) {
      throw new IllegalArgumentException("--run needs --project");
    }
    this.settings = settings;
    this.topics = topics;
    this.stage = stage;
    this.items = new DeadLetterFilter(null, project, run);
    this.includeRedriven = includeRedriven;
    this.out = out;
  }

  public RedriveSummary run() {
    String topic = topics.deadLetter().name();
    try (KafkaConsumer<byte[], byte[]> consumer = DeadLetterReader.consumer(settings.kafkaClient(), GROUP);
        KafkaProducer<byte[], byte[]> producer = producer()) {
      for (TopicPartition tp : DeadLetterReader.partitions(consumer, topic)) {
        redrive(consumer, producer, tp);
      }
    }
    return summary.build(stage, topic);
  }

  private void redrive(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer,
      TopicPartition tp) {
    DeadLetterReader.Range range = DeadLetterReader.range(consumer, tp);
    OffsetAndMetadata committed = consumer.committed(Set.of(tp)).get(tp);
    RedriveProgress progress = committed == null ? RedriveProgress.parse(range.first(), null)
        : RedriveProgress.parse(Math.max(range.first(), committed.offset()), committed.metadata());
    DeadLetterReader.read(consumer, tp, progress.position(), range.end(), letter -> {
      if (handle(letter, progress, producer)) {
        commit(consumer, tp, progress);
      }
    });
    progress.walkedTo(range.end());
    commit(consumer, tp, progress);
  }

  /** Decides about one letter and acts; returns whether it was re-driven (progress to commit now). */
  private boolean handle(DeadLetter letter, RedriveProgress progress, KafkaProducer<byte[], byte[]> producer) {
    long offset = letter.offset();
    if (progress.alreadyRedriven(offset)) {
      progress.settled(offset);
    } else if ("ingest".equals(letter.stage())) {
      if (items.matchesItem(letter)) {
        summary.ingest++;
      }
      progress.settled(offset);
    } else if (!stage.equals(letter.stage()) || !items.matchesItem(letter)) {
      progress.left(offset);
    } else if (letter.redrivenFrom() != null && !includeRedriven) {
      summary.rejectedAgain++;
      progress.left(offset);
    } else if (!validSource(letter)) {
      summary.unroutable++;
      out.println("cannot re-drive " + letter.position() + " " + letter.identity() + ": source topic "
          + letter.sourceTopic() + " is not a " + stage + " input");
      progress.settled(offset);
    } else if (!progress.canRemember(offset)) {
      summary.full++;
    } else {
      send(producer, letter);
      progress.redriven(offset);
      summary.redriven++;
      return true;
    }
    return false;
  }

  private boolean validSource(DeadLetter letter) {
    String source = letter.sourceTopic();
    return source != null && source.endsWith(stage.equals("transform") ? Topics.RAW : Topics.PROCESSED);
  }

  /** Sends the letter's key and bytes back to its source partition and waits for the acknowledgement. */
  private void send(KafkaProducer<byte[], byte[]> producer, DeadLetter letter) {
    String target = letter.sourceTopic();
    int partitions = partitionCounts.computeIfAbsent(target, t -> producer.partitionsFor(t).size());
    Integer partition = letter.sourcePartition() >= 0 && letter.sourcePartition() < partitions
        ? letter.sourcePartition() : null;
    RecordHeaders headers = new RecordHeaders();
    headers.add(DeadLetters.REDRIVEN_FROM,
        (letter.topic() + "-" + letter.partition() + "@" + letter.offset()).getBytes(StandardCharsets.UTF_8));
    try {
      var metadata = producer.send(new ProducerRecord<>(target, partition, letter.timestamp(), letter.key(),
          letter.value(), headers)).get();
      out.printf(Locale.ROOT, "re-driven %s %s -> %s-%d@%d%n", letter.position(), letter.identity(), target,
          metadata.partition(), metadata.offset());
      out.flush();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot re-drive " + letter.position() + " to " + target + ": "
          + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while re-driving " + letter.position(), e);
    }
  }

  private static void commit(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, RedriveProgress progress) {
    consumer.commitSync(Map.of(tp, new OffsetAndMetadata(progress.position(), progress.metadata())));
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> config = new HashMap<>(settings.kafkaClient());
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 66 * 1024 * 1024);
    config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024);
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
