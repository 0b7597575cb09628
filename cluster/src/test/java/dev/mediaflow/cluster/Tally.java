package dev.mediaflow.cluster;

import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.schemas.serde.SchemaRegistryClient;
import dev.mediaflow.schemas.topics.ItemKeys;
import dev.mediaflow.schemas.topics.Topics;
import dev.mediaflow.sink.s3.S3ClientFactory;
import dev.mediaflow.sink.s3.S3Settings;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Counts, per item identity of one run, what every store holds: committed records on the raw and
 * processed topics (read_committed; processed values decoded through the registry, so a registry
 * that lost its schemas fails the count), rows in {@code media_item} and objects in S3.
 */
final class Tally {
  /** {@code media/{project}/{run}/{key}/{step:012d}/{index}.{ext}}: the object of an item. */
  private static final Pattern OBJECT_KEY = Pattern.compile("media/([^/]+)/([^/]+)/([^/]+)/(\\d{12})/(\\d+)\\.[a-z]+");

  private final ProductionTopology topology;
  private final String project;
  private final String run;

  Tally(ProductionTopology topology, String project, String run) {
    this.topology = topology;
    this.project = project;
    this.run = run;
  }

  /** Identity → committed records on the raw topic. */
  Map<String, Integer> raw() {
    return countRecords(Topics.RAW, (key, value) -> { });
  }

  /** Identity → committed records on the processed topic, each decoded with a fresh registry client. */
  Map<String, Integer> processed() {
    Deserializer<ProcessedMedia> decoder = new Topics(new SchemaRegistryClient(topology.registry().confluentApiUrl()))
        .processed().valueSerde().deserializer();
    return countRecords(Topics.PROCESSED, (key, value) -> decoder.deserialize(Topics.PROCESSED, value));
  }

  /** Identity → rows in media_item. */
  Map<String, Integer> rows() {
    Map<String, Integer> counts = new HashMap<>();
    try (Connection c = DriverManager.getConnection(topology.jdbcUrl());
        PreparedStatement q = c.prepareStatement(
            "SELECT log_key, step, item_index FROM media_item WHERE project = ? AND run = ?")) {
      q.setString(1, project);
      q.setString(2, run);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          counts.merge(ItemKeys.of(project, run, rs.getString(1), rs.getLong(2), rs.getInt(3)), 1, Integer::sum);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot count rows: " + e.getMessage(), e);
    }
    return counts;
  }

  /** Identity → objects in the bucket (derived objects such as masks would count apart; images have none). */
  Map<String, Integer> objects() {
    Map<String, Integer> counts = new HashMap<>();
    var s3 = topology.s3();
    try (S3Client client = S3ClientFactory.create(S3Settings.of(s3.endpoint(), s3.region(), s3.accessKey(),
        s3.secretKey()))) {
      String prefix = "media/" + ItemKeys.runPrefix(project, run);
      ListObjectsV2Request request = ListObjectsV2Request.builder().bucket("mediaflow").prefix(prefix).build();
      for (var page : client.listObjectsV2Paginator(request)) {
        for (S3Object object : page.contents()) {
          Matcher m = OBJECT_KEY.matcher(object.key());
          if (m.matches()) {
            counts.merge(m.group(1) + "/" + m.group(2) + "/" + m.group(3) + "/" + Long.parseLong(m.group(4)) + "/"
                + m.group(5), 1, Integer::sum);
          }
        }
      }
    }
    return counts;
  }

  private Map<String, Integer> countRecords(String topic, BiConsumer<String, byte[]> check) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, topology.kafka().bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "tally-" + UUID.randomUUID());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    String prefix = ItemKeys.runPrefix(project, run);
    Map<String, Integer> counts = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(record -> {
          String key = new String(record.key(), StandardCharsets.UTF_8);
          if (key.startsWith(prefix)) {
            check.accept(key, record.value());
            counts.merge(key, 1, Integer::sum);
          }
        });
      }
    }
    return counts;
  }
}
