package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.schemas.avro.ImagePayload;
import dev.mediaflow.schemas.avro.MediaEvent;
import dev.mediaflow.schemas.avro.NdArray;
import dev.mediaflow.schemas.deadletter.DeadLetters;
import dev.mediaflow.schemas.topics.ItemKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds every class of poison pill into the raw and processed topics between good items and
 * checks that each becomes a dead letter with its reason and source position, and that the
 * good items around them are stored: nothing stops a stream.
 */
class PoisonPillIT {
  static final String PROJECT = "poison";

  @TempDir
  static Path dataDir;

  static EmbeddedStack stack;
  static StackInspector inspector;
  static ItemSender sender;
  static KafkaProducer<byte[], byte[]> raw;

  @BeforeAll
  static void start() {
    stack = EmbeddedStack.start(dataDir, null, line -> System.out.println("[stack] " + line));
    inspector = new StackInspector(stack);
    sender = new ItemSender(stack);
    raw = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers()),
        new ByteArraySerializer(), new ByteArraySerializer());
  }

  @AfterAll
  static void stop() {
    raw.close();
    sender.close();
    inspector.close();
    stack.close();
  }

  @Test
  void shouldDeadLetterEveryPoisonPillAndStoreTheItemsAroundIt() throws Exception {
    // Given good items, then every kind of poison, then more good items
    String run = "pills";
    assertThat(sender.send(PROJECT, run, 5, 0).get(1, TimeUnit.MINUTES)).isEqualTo(5);
    String rawTopic = stack.topics().raw().name();
    String processedTopic = stack.topics().processed().name();
    send(rawTopic, "pill/not-avro", "these bytes are not Avro".getBytes(StandardCharsets.UTF_8));
    send(rawTopic, "pill/unknown-schema", new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 4, 6});
    send(rawTopic, "pill/tombstone", null);
    MediaEvent throwing = ItemSender.image(PROJECT, run, 99);
    ((ImagePayload) throwing.getPayload()).setArray(
        new NdArray("uint8", List.of(8L, 8L), ByteBuffer.wrap(new byte[3]))); // 3 bytes for 64 pixels
    send(rawTopic, ItemKeys.of(throwing.getIdentity()),
        stack.topics().raw().valueSerde().serializer().serialize(rawTopic, throwing));
    send(processedTopic, "pill/processed-garbage", "not a processed event".getBytes(StandardCharsets.UTF_8));
    MediaEvent last = ItemSender.image(PROJECT, run, 5);
    send(rawTopic, ItemKeys.of(last.getIdentity()),
        stack.topics().raw().valueSerde().serializer().serialize(rawTopic, last));

    // When the pipeline has worked through them
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    List<Map<String, String>> letters = List.of();
    while ((inspector.rows(PROJECT, run) < 6 || letters.size() < 5) && System.nanoTime() < deadline) {
      Thread.sleep(500);
      letters = inspector.deadLetters();
    }

    // Then the good items are stored and every pill is a dead letter saying why and where from
    assertThat(inspector.rows(PROJECT, run)).isEqualTo(6);
    assertThat(letters).hasSize(5);
    assertThat(reason(letters, "transform", "magic byte")).containsEntry(DeadLetters.SOURCE_TOPIC, rawTopic);
    assertThat(reason(letters, "transform", "unknown schema id")).containsKey(DeadLetters.SOURCE_OFFSET);
    assertThat(reason(letters, "transform", "tombstone")).containsKey(DeadLetters.SOURCE_PARTITION);
    assertThat(reason(letters, "transform", "3 bytes")).containsEntry(DeadLetters.INDEX, "3")
        .containsEntry(DeadLetters.STEP, "24").containsEntry(DeadLetters.RUN, run);
    assertThat(reason(letters, "sink", "magic byte")).containsEntry(DeadLetters.SOURCE_TOPIC, processedTopic);
  }

  static Map<String, String> reason(List<Map<String, String>> letters, String stage, String fragment) {
    return letters.stream()
        .filter(h -> stage.equals(h.get(DeadLetters.STAGE)) && h.get(DeadLetters.REASON).contains(fragment))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + stage + " dead letter mentioning '" + fragment + "' in " + letters));
  }

  static void send(String topic, String key, byte[] value) throws Exception {
    raw.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
  }
}
