package dev.mediaflow.ops.init;

import dev.mediaflow.schemas.serde.ConfluentAvroSerde;
import dev.mediaflow.schemas.serde.SchemaRegistryClient;
import dev.mediaflow.schemas.topics.Topic;
import dev.mediaflow.schemas.topics.TopicProvisioner;
import dev.mediaflow.schemas.topics.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Makes a cluster and a registry ready for mediaflow, idempotently: creates the missing topics
 * with the wanted partitions, replication, {@code min.insync.replicas} and retention (raw and
 * dead letters kept forever, see {@link TopicProvisioner}), checks the existing ones against the
 * same settings without changing them, and registers the Avro value schemas.
 */
public final class ClusterInit {
  /** Topic settings compared on existing topics; others (e.g. segment sizes) are the operator's. */
  private static final List<String> CHECKED_CONFIGS = List.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
      TopicConfig.RETENTION_MS_CONFIG, TopicConfig.MAX_MESSAGE_BYTES_CONFIG);

  private final Admin admin;
  private final SchemaRegistryClient registry;
  private final Topics topics;

  public ClusterInit(Admin admin, SchemaRegistryClient registry, Topics topics) {
    this.admin = admin;
    this.registry = registry;
    this.topics = topics;
  }

  /** Creates or checks the topics, then registers the schemas; the report says which was which. */
  public InitReport run(TopicSettings settings) {
    InitReport report = new InitReport();
    List<NewTopic> wanted = TopicProvisioner.newTopics(topics, settings.partitions(), settings.replicationFactor(),
        Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(settings.minInsyncReplicas())));
    Set<String> existing = await(admin.listTopics().names());
    for (NewTopic topic : wanted) {
      if (existing.contains(topic.name()) || !create(topic)) {
        check(topic, report);
      } else {
        report.created("topic " + describe(topic));
      }
    }
    registerSchemas(report);
    return report;
  }

  /** Creates the topic; false when another client created it first. */
  private boolean create(NewTopic topic) {
    try {
      admin.createTopics(List.of(topic)).all().get();
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return false;
      }
      throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + topic.name(), e);
    }
  }

  private void check(NewTopic wanted, InitReport report) {
    TopicDescription description = await(admin.describeTopics(List.of(wanted.name())).allTopicNames())
        .get(wanted.name());
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, wanted.name());
    Config config = await(admin.describeConfigs(List.of(resource)).all()).get(resource);
    List<String> differences = new ArrayList<>();
    int partitions = description.partitions().size();
    if (partitions != wanted.numPartitions()) {
      differences.add("partitions " + partitions + " (wanted " + wanted.numPartitions() + ")");
    }
    int replicas = minReplicas(description.partitions());
    if (replicas != wanted.replicationFactor()) {
      differences.add("replication factor " + replicas + " (wanted " + wanted.replicationFactor() + ")");
    }
    for (String key : CHECKED_CONFIGS) {
      String actual = Optional.ofNullable(config.get(key)).map(ConfigEntry::value).orElse(null);
      String expected = wanted.configs().get(key);
      if (!expected.equals(actual)) {
        differences.add(key + " " + actual + " (wanted " + expected + ")");
      }
    }
    if (differences.isEmpty()) {
      report.found("topic " + describe(wanted));
    } else {
      report.problem("topic " + wanted.name() + " exists with other settings: " + String.join(", ", differences));
    }
  }

  private static int minReplicas(Collection<TopicPartitionInfo> partitions) {
    return partitions.stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
  }

  private void registerSchemas(InitReport report) {
    for (Topic<String, ?> topic : List.of(topics.raw(), topics.processed())) {
      ConfluentAvroSerde<?> serde = (ConfluentAvroSerde<?>) topic.valueSerde();
      String subject = serde.subject(topic.name());
      Optional<Integer> known = registry.lookup(subject, serde.schema());
      if (known.isPresent()) {
        report.found("schema " + subject + " (id " + known.get() + ")");
      } else {
        int id = registry.register(subject, serde.schema());
        report.created("schema " + subject + " (id " + id + ")");
      }
      registry.setCompatibility(subject, "BACKWARD");
    }
  }

  private static String describe(NewTopic topic) {
    Map<String, String> configs = topic.configs();
    String retention = configs.get(TopicConfig.RETENTION_MS_CONFIG);
    return topic.name() + " (partitions " + topic.numPartitions() + ", replication " + topic.replicationFactor()
        + ", min.insync.replicas " + configs.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG) + ", retention "
        + ("-1".equals(retention) ? "forever" : retention + " ms") + ")";
  }

  private static <T> T await(KafkaFuture<T> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("Kafka refused: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while talking to Kafka", e);
    }
  }
}
