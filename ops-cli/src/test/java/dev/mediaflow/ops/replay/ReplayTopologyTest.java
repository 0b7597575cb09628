package dev.mediaflow.ops.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.schemas.deadletter.DeadLetters;
import dev.mediaflow.schemas.serde.SchemaRegistryClient;
import dev.mediaflow.schemas.topics.Topics;
import dev.mediaflow.transform.MediaTransformer;
import dev.mediaflow.transform.topology.TransformTopology;
import dev.mediaflow.transform.topology.TransformTopology.Counts;
import dev.mediaflow.transform.topology.TransformTopology.ItemFilter;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The transform topology as a replay builds it: the regular raw topic in, the replay's own
 * topics out, optional filter. Only undecodable input is fed here (no registry is needed for it);
 * real items go through {@code ReplayIT}.
 */
class ReplayTopologyTest {
  // never contacted: serdes reach the registry only to decode or encode Avro
  static final SchemaRegistryClient REGISTRY = new SchemaRegistryClient("http://127.0.0.1:9/unused");
  static final Topics REGULAR = new Topics(REGISTRY, "");
  static final Topics REPLAY = new Topics(REGISTRY, "replay-x.");
  static final byte[] POISON = "not avro".getBytes(StandardCharsets.UTF_8);

  @Test
  void shouldKeepTheNodeNamesAndWriteTheReplaysOwnTopics() {
    // When
    String description = TransformTopology.build(REGULAR, REPLAY, new MediaTransformer(), ItemFilter.ALL, new Counts())
        .describe().toString();

    // Then
    assertThat(description).contains("Source: raw-source (topics: [mediaflow.media.raw])")
        .contains("Processor: media-transform (stores: [])")
        .contains("Sink: processed-sink (topic: replay-x.mediaflow.media.processed)")
        .contains("Sink: dead-letter-sink (topic: replay-x.mediaflow.deadletter)");
  }

  @Test
  void shouldDeadLetterPoisonOnTheReplaysTopicKeepingTheRedriveMarker() {
    // Given an unfiltered replay and a re-driven poison pill
    Counts counts = new Counts();
    RecordHeaders headers = new RecordHeaders();
    headers.add(DeadLetters.REDRIVEN_FROM, "mediaflow.deadletter-0@7".getBytes(StandardCharsets.UTF_8));

    try (TopologyTestDriver driver = driver(TransformTopology.build(REGULAR, REPLAY, new MediaTransformer(),
        ItemFilter.ALL, counts))) {
      // When
      raw(driver).pipeInput(new TestRecord<>("k".getBytes(StandardCharsets.UTF_8), POISON, headers));

      // Then
      TestRecord<byte[], byte[]> letter = deadLetters(driver).readRecord();
      assertThat(letter.value()).isEqualTo(POISON);
      assertThat(DeadLetters.header(letter.headers(), DeadLetters.STAGE)).isEqualTo("transform");
      assertThat(DeadLetters.header(letter.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo("mediaflow.media.raw");
      assertThat(DeadLetters.header(letter.headers(), DeadLetters.REDRIVEN_FROM))
          .isEqualTo("mediaflow.deadletter-0@7");
      assertThat(counts.deadLettered()).isEqualTo(1);
    }
  }

  @Test
  void shouldSkipPoisonWhenOnlyOneProjectIsReplayed() {
    // Given a replay of one project
    Counts counts = new Counts();
    try (TopologyTestDriver driver = driver(TransformTopology.build(REGULAR, REPLAY, new MediaTransformer(),
        new ItemFilter("p", null), counts))) {
      // When
      raw(driver).pipeInput("k".getBytes(StandardCharsets.UTF_8), POISON);

      // Then it cannot match, and the regular transform dead-lettered it already
      assertThat(deadLetters(driver).isEmpty()).isTrue();
      assertThat(counts.skipped()).isEqualTo(1);
      assertThat(counts.deadLettered()).isZero();
    }
  }

  private static TopologyTestDriver driver(Topology topology) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "replay-topology-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    return new TopologyTestDriver(topology, props);
  }

  private static TestInputTopic<byte[], byte[]> raw(TopologyTestDriver driver) {
    return driver.createInputTopic(REGULAR.raw().name(), new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static TestOutputTopic<byte[], byte[]> deadLetters(TopologyTestDriver driver) {
    return driver.createOutputTopic(REPLAY.deadLetter().name(), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }
}
