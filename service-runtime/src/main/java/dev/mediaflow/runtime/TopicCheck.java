package dev.mediaflow.runtime;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;

/**
 * The start-up check that a service's topics exist. Services never create topics (brokers should
 * run with {@code auto.create.topics.enable=false}, and an auto-created topic would get the
 * broker's defaults: wrong partitions, replication and retention); {@code mediaflow init} does,
 * with the right settings. Without this check a service would start and then wait or fail on
 * every record with an unclear metadata error.
 */
public final class TopicCheck {
  /** How long the check waits for the cluster to answer before the service gives up starting. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private TopicCheck() {}

  /**
   * Returns when every topic in {@code required} exists.
   *
   * @throws MissingTopicsException naming the missing topics
   * @throws IllegalStateException when the cluster does not answer within {@code timeout}
   */
  public static void requireTopics(String service, KafkaSettings kafka, Collection<String> required,
      Duration timeout) {
    int timeoutMs = (int) timeout.toMillis();
    Map<String, Object> settings = kafka.admin(Map.of(
        AdminClientConfig.CLIENT_ID_CONFIG, service + "-topic-check",
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 10_000)));
    try (Admin admin = Admin.create(settings)) {
      requireTopics(service, kafka.bootstrapServers(), admin, required, timeout);
    }
  }

  /** As above, with an admin client the caller owns. */
  public static void requireTopics(String service, String bootstrapServers, Admin admin, Collection<String> required,
      Duration timeout) {
    Set<String> existing = existingTopics(admin, bootstrapServers, timeout);
    List<String> missing = required.stream().filter(name -> !existing.contains(name)).sorted().toList();
    if (!missing.isEmpty()) {
      throw new MissingTopicsException(service, bootstrapServers, missing);
    }
  }

  private static Set<String> existingTopics(Admin admin, String bootstrapServers, Duration timeout) {
    try {
      return admin.listTopics(new ListTopicsOptions().listInternal(false).timeoutMs((int) timeout.toMillis())).names()
          .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException("cannot list the topics of the Kafka cluster at " + bootstrapServers + " within "
          + timeout.toSeconds() + " s to check they exist: " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking the topics exist", e);
    }
  }
}
