package dev.mediaflow.embedded;

import dev.mediaflow.schemas.deadletter.DeadLetters;
import dev.mediaflow.schemas.topics.ItemKeys;
import java.nio.charset.StandardCharsets;
import dev.mediaflow.sink.s3.S3ClientFactory;
import dev.mediaflow.sink.s3.S3Settings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Reads what arrived where (rows, objects, dead letters): for the demo's summary and the tests. */
public final class StackInspector implements AutoCloseable {
  private final EmbeddedStack stack;
  private final S3Client s3;

  public StackInspector(EmbeddedStack stack) {
    this.stack = stack;
    this.s3 = S3ClientFactory.create(S3Settings.of(stack.s3().endpoint(), stack.s3().region(),
        stack.s3().accessKey(), stack.s3().secretKey()));
  }

  public S3Client s3() {
    return s3;
  }

  /** Metadata rows of one run. */
  public long rows(String project, String run) {
    try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), "postgres", null);
        PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM media_item WHERE project = ? AND run = ?")) {
      q.setString(1, project);
      q.setString(2, run);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      if (e.getMessage() != null && e.getMessage().contains("media_item")) {
        return 0; // the sink has not migrated the schema yet
      }
      throw new IllegalStateException("cannot count rows: " + e.getMessage(), e);
    }
  }

  /** Object keys under a prefix of the bucket. */
  public List<String> objectKeys(String prefix) {
    List<String> keys = new ArrayList<>();
    ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(EmbeddedStack.BUCKET).prefix(prefix).build();
    for (var page : s3.listObjectsV2Paginator(request)) {
      page.contents().stream().map(S3Object::key).forEach(keys::add);
    }
    return keys;
  }

  /**
   * How often each item of one run appears on a topic as committed records (read_committed):
   * item key → count. Exactly-once means every count is 1.
   */
  public Map<String, Integer> committedItems(String topic, String project, String run) {
    String prefix = ItemKeys.runPrefix(project, run);
    Map<String, Integer> counts = new HashMap<>();
    readAll(topic, record -> {
      String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
      if (key.startsWith(prefix)) {
        counts.merge(key, 1, Integer::sum);
      }
    });
    return counts;
  }

  /** Every dead letter on the topic, as header maps (reason, identity, source). */
  public List<Map<String, String>> deadLetters() {
    List<Map<String, String>> letters = new ArrayList<>();
    readAll(stack.topics().deadLetter().name(), record -> {
      Map<String, String> headers = new HashMap<>();
      record.headers().forEach(h -> headers.put(h.key(), DeadLetters.header(record.headers(), h.key())));
      letters.add(headers);
    });
    return letters;
  }

  /** Every dead-letter record on the topic (read_committed), values and headers as written. */
  public List<ConsumerRecord<byte[], byte[]>> deadLetterRecords() {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    readAll(stack.topics().deadLetter().name(), records::add);
    return records;
  }

  private void readAll(String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "inspector-" + UUID.randomUUID());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 65 * 1024 * 1024);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(each);
      }
    }
  }

  @Override
  public void close() {
    s3.close();
  }
}
