package dev.mediaflow.schemas.topics;

import dev.mediaflow.schemas.serde.ConfluentAvroSerde;
import dev.mediaflow.schemas.serde.SchemaRegistryClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates our topics with deliberate settings, once; existing topics are left alone.
 *
 * <p>Records carry media, so {@code max.message.bytes} is raised to {@link #MAX_MESSAGE_BYTES};
 * producers, Streams and consumers are configured to match. Raw events and dead letters are
 * kept forever (the raw topic is the source of truth that replays read); topics are not
 * compressed by the broker because encoded media does not shrink (platform.md measurements).
 */
public final class TopicProvisioner {
  /** Largest record a topic accepts: 64 MiB of payload plus headroom for the envelope. */
  public static final int MAX_MESSAGE_BYTES = 65 * 1024 * 1024;

  private TopicProvisioner() {}

  public static void ensureTopics(Admin admin, Topics topics, int partitions, short replicationFactor) {
    List<NewTopic> wanted = newTopics(topics, partitions, replicationFactor, Map.of());
    try {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get();
      }
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topics: " + e.getCause(), e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }

  /**
   * Registers the value schemas of our Avro topics and sets their subjects to BACKWARD
   * compatibility, so a consumer upgraded first can always read what older producers wrote.
   */
  public static void ensureSchemas(SchemaRegistryClient registry, Topics topics) {
    for (Topic<String, ?> topic : List.of(topics.raw(), topics.processed())) {
      ConfluentAvroSerde<?> serde = (ConfluentAvroSerde<?>) topic.valueSerde();
      String subject = serde.subject(topic.name());
      registry.register(subject, serde.schema());
      registry.setCompatibility(subject, "BACKWARD");
    }
  }

  /**
   * The topics as they should be created: raw and processed with {@code partitions}, the dead
   * letters with one, all kept forever, plus {@code extraConfigs} (e.g. {@code min.insync.replicas}).
   */
  public static List<NewTopic> newTopics(Topics topics, int partitions, short replicationFactor,
      Map<String, String> extraConfigs) {
    List<NewTopic> wanted = new ArrayList<>();
    wanted.add(topic(topics.raw().name(), partitions, replicationFactor, "-1", extraConfigs));
    wanted.add(topic(topics.processed().name(), partitions, replicationFactor, "-1", extraConfigs));
    wanted.add(topic(topics.deadLetter().name(), 1, replicationFactor, "-1", extraConfigs));
    return wanted;
  }

  private static NewTopic topic(String name, int partitions, short replicationFactor, String retentionMs,
      Map<String, String> extraConfigs) {
    Map<String, String> configs = new HashMap<>(extraConfigs);
    configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_MESSAGE_BYTES));
    configs.put(TopicConfig.RETENTION_MS_CONFIG, retentionMs);
    configs.put(TopicConfig.COMPRESSION_TYPE_CONFIG, "producer");
    return new NewTopic(name, partitions, replicationFactor).configs(configs);
  }
}
