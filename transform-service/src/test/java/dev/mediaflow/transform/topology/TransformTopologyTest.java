package dev.mediaflow.transform.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.schemas.avro.ImagePayload;
import dev.mediaflow.schemas.avro.MediaEvent;
import dev.mediaflow.schemas.avro.MediaIdentity;
import dev.mediaflow.schemas.avro.NdArray;
import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.schemas.deadletter.DeadLetters;
import dev.mediaflow.schemas.serde.SchemaRegistryClient;
import dev.mediaflow.schemas.serde.SchemaRegistryException;
import dev.mediaflow.schemas.topics.Topics;
import dev.mediaflow.transform.MediaTransformer;
import dev.mediaflow.transform.topology.TransformTopology.ItemFilter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TransformTopologyTest {
  private InMemorySchemaRegistry registry;
  private Topics topics;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> raw;
  private TestOutputTopic<String, ProcessedMedia> processed;
  private TestOutputTopic<byte[], byte[]> deadLetters;

  @BeforeEach
  void start() throws Exception {
    registry = new InMemorySchemaRegistry();
    topics = new Topics(new SchemaRegistryClient(registry.url()));
    driver = new TopologyTestDriver(TransformTopology.build(topics, new MediaTransformer()), driverProps());
    raw = driver.createInputTopic(topics.raw().name(), new ByteArraySerializer(), new ByteArraySerializer());
    processed = driver.createOutputTopic(topics.processed().name(), topics.processed().keySerde().deserializer(),
        topics.processed().valueSerde().deserializer());
    deadLetters = driver.createOutputTopic(topics.deadLetter().name(), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
    registry.close();
  }

  @Test
  void shouldNameEveryNodeExplicitly() {
    // Given
    Topology topology = TransformTopology.build(topics, new MediaTransformer());

    // When
    String description = topology.describe().toString();

    // Then
    assertThat(description).contains("Source: " + TransformTopology.SOURCE, "Processor: " + TransformTopology.PROCESSOR,
        "Sink: " + TransformTopology.PROCESSED_SINK, "Sink: " + TransformTopology.DEAD_LETTER_SINK);
    assertThat(topology.describe().subtopologies()).hasSize(1);
    assertThat(topology.describe().globalStores()).isEmpty();
  }

  @Test
  void shouldEmitAProcessedImageKeyedByItsIdentity() {
    // Given a 2×2 grey image in [0, 1] as float64
    ByteBuffer pixels = ByteBuffer.allocate(32).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    pixels.putDouble(0).putDouble(0.5).putDouble(1).putDouble(0.25);
    MediaEvent event = event(new NdArray("float64", List.of(2L, 2L), ByteBuffer.wrap(pixels.array())));

    // When
    raw.pipeInput(new TestRecord<>("k".getBytes(), topics.raw().valueSerde().serializer().serialize("t", event)));

    // Then
    var out = processed.readRecord();
    assertThat(out.key()).isEqualTo("p/r/k/5/0");
    assertThat(out.value().getImage().getMode()).isEqualTo("L");
    assertThat(out.value().getObjects().get(0).getContentType()).isEqualTo("image/png");
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void shouldDeadLetterGarbageAndKeepGoing() {
    // Given a poison pill followed by a good event
    raw.pipeInput(new TestRecord<>("x".getBytes(), "garbage".getBytes(StandardCharsets.UTF_8)));
    MediaEvent good = event(new NdArray("uint8", List.of(1L, 1L), ByteBuffer.wrap(new byte[] {7})));
    raw.pipeInput(new TestRecord<>("k".getBytes(), topics.raw().valueSerde().serializer().serialize("t", good)));

    // Then the pill is a dead letter with its reason and position, and the good event passes
    var letter = deadLetters.readRecord();
    assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("garbage");
    assertThat(DeadLetters.header(letter.headers(), DeadLetters.REASON)).contains("magic byte");
    assertThat(DeadLetters.header(letter.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
    assertThat(processed.readRecord().value().getIdentity().getStep()).isEqualTo(5L);
  }

  @Test
  void shouldDeadLetterAnItemWhoseResultIsLargerThanARecordAndKeepGoing() {
    // Given a topology whose record limit is below a 64×64 noise image's PNG, but above a 1×1 image's
    driver.close();
    Topology topology = TransformTopology.build(topics, topics, new MediaTransformer(), ItemFilter.ALL,
        new TransformTopology.Counts(), 4096);
    driver = new TopologyTestDriver(topology, driverProps());
    raw = driver.createInputTopic(topics.raw().name(), new ByteArraySerializer(), new ByteArraySerializer());
    processed = driver.createOutputTopic(topics.processed().name(), topics.processed().keySerde().deserializer(),
        topics.processed().valueSerde().deserializer());
    deadLetters = driver.createOutputTopic(topics.deadLetter().name(), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    byte[] noise = new byte[64 * 64 * 3];
    new Random(7).nextBytes(noise);
    byte[] big = topics.raw().valueSerde().serializer().serialize("t",
        event(new NdArray("uint8", List.of(64L, 64L, 3L), ByteBuffer.wrap(noise))));
    MediaEvent small = event(new NdArray("uint8", List.of(1L, 1L), ByteBuffer.wrap(new byte[] {7})));

    // When the large one comes first, then a small one
    raw.pipeInput(new TestRecord<>("k".getBytes(), big));
    raw.pipeInput(new TestRecord<>("k".getBytes(), topics.raw().valueSerde().serializer().serialize("t", small)));

    // Then the large one is a dead letter (its raw bytes, with identity and reason), the small one passes
    var letter = deadLetters.readRecord();
    assertThat(letter.value()).isEqualTo(big);
    assertThat(DeadLetters.header(letter.headers(), DeadLetters.REASON))
        .contains("processed item is", "above the 4096-byte record limit");
    assertThat(DeadLetters.header(letter.headers(), DeadLetters.KEY)).isEqualTo("k");
    assertThat(processed.readRecord().value().getImage().getWidth()).isEqualTo(1);
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void shouldNotDeadLetterARecordWhileTheRegistryIsAway() {
    // Given a record whose schema this transform has not seen yet, and the registry gone
    MediaEvent event = event(new NdArray("uint8", List.of(1L, 1L), ByteBuffer.wrap(new byte[] {7})));
    byte[] bytes = topics.raw().valueSerde().serializer().serialize("t", event);
    driver.close();
    Topics fresh = new Topics(new SchemaRegistryClient(registry.url()));
    driver = new TopologyTestDriver(TransformTopology.build(fresh, new MediaTransformer()), driverProps());
    raw = driver.createInputTopic(topics.raw().name(), new ByteArraySerializer(), new ByteArraySerializer());
    deadLetters = driver.createOutputTopic(topics.deadLetter().name(), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    registry.close();

    // When / Then the task fails (Kafka Streams retries it on a new thread) and nothing is dead-lettered
    assertThatThrownBy(() -> raw.pipeInput(new TestRecord<>("k".getBytes(), bytes)))
        .satisfies(e -> assertThat(SchemaRegistryException.isUnavailable(e)).as("registry away in %s", e).isTrue());
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  private static Properties driverProps() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    return props;
  }

  private static MediaEvent event(NdArray array) {
    return MediaEvent.newBuilder()
        .setIdentity(new MediaIdentity("p", "r", "k", 5L, 0))
        .setTimestamp(Instant.EPOCH)
        .setProducerId("test")
        .setPayload(ImagePayload.newBuilder().setArray(array).build())
        .build();
  }
}
