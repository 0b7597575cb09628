package dev.mediaflow.runtime;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every mediaflow service runs on: its {@link Metrics} (Prometheus registry with JVM and Kafka
 * meters), its {@link KafkaClients} (the only place its Kafka clients are built, each with the
 * {@code kafka.*} pass-through), its {@link Health} with a Kafka readiness probe, the optional
 * {@code /health} + {@code /metrics} endpoint, the start-up topic check, and one log line per
 * lifecycle event (starting, started, stopping, stopped; Kafka lost and back).
 *
 * <p>Use: build it first thing in the service's constructor, {@link #requireTopics} before
 * creating clients, add the service's checks to {@link #health()} and its counters to
 * {@link #metrics()}, call {@link #started()} at the end of the service's start, and
 * {@link #close()} last in the service's close (after its clients are closed). {@link Shutdown}
 * turns SIGTERM into that close.
 */
public final class ServiceRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceRuntime.class);

  private final String name;
  private final KafkaSettings kafka;
  private final Endpoint endpointSettings;
  private final Metrics metrics = new Metrics();
  private final KafkaClients clients;
  private final Health health = new Health();
  private final KafkaProbe probe;
  private final long createdNanos = System.nanoTime();
  private volatile HealthEndpoint endpoint;

  /**
   * Where a service serves {@code /health/live}, {@code /health/ready}, {@code /health} and {@code /metrics}.
   *
   * @param host the bind address: {@code 127.0.0.1} (this machine only) or {@code 0.0.0.0} (every
   *     interface, e.g. in a container)
   * @param port 0 picks a free one; -1 serves nothing (a service with an HTTP server of its own
   *     serves them there)
   */
  public record Endpoint(String host, int port) {
    /** No endpoint of the runtime's own. */
    public static final Endpoint NONE = new Endpoint("127.0.0.1", -1);
  }

  /**
   * @param name the service's short name, e.g. {@code sink}; in every lifecycle log line
   */
  public ServiceRuntime(String name, KafkaSettings kafka, Endpoint endpoint) {
    this.name = name;
    this.kafka = kafka;
    this.endpointSettings = endpoint;
    LOG.info("{} starting (Kafka at {})", name, kafka.bootstrapServers());
    this.clients = new KafkaClients(kafka, metrics);
    this.probe = new KafkaProbe(kafka.admin(Map.of()), KafkaProbe.DEFAULT_INTERVAL, KafkaProbe.DEFAULT_TIMEOUT,
        settings -> clients.adminAsGiven("health-probe", settings));
    health.ready(probe::check);
  }

  private ServiceRuntime(String name, Endpoint endpoint) {
    this.name = name;
    this.kafka = null;
    this.endpointSettings = endpoint;
    LOG.info("{} starting", name);
    this.clients = null;
    this.probe = null;
    // no Kafka probe: readiness is only the service's own checks
  }

  /**
   * The runtime of a service that does not use Kafka (the query service reads SQL and S3): metrics,
   * health, endpoint and lifecycle lines as for the others; {@link #clients()}, {@link #requireTopics}
   * and {@link #kafkaCheck()} throw {@link IllegalStateException}.
   */
  public static ServiceRuntime withoutKafka(String name, Endpoint endpoint) {
    return new ServiceRuntime(name, endpoint);
  }

  private void requireKafka() {
    if (kafka == null) {
      throw new IllegalStateException(name + " runs without Kafka");
    }
  }

  /**
   * Refuses to go on when one of {@code topics} does not exist (see {@link TopicCheck}).
   *
   * @throws MissingTopicsException naming them and saying to run {@code mediaflow init}
   */
  public void requireTopics(Collection<String> topics) {
    requireKafka();
    TopicCheck.requireTopics(name, kafka, topics, TopicCheck.DEFAULT_TIMEOUT);
    LOG.info("{}: topics present: {}", name, String.join(", ", topics));
  }

  public String name() {
    return name;
  }

  public KafkaClients clients() {
    requireKafka();
    return clients;
  }

  public Metrics metrics() {
    return metrics;
  }

  /** The service's checks; Kafka reachability is already part of readiness. */
  public Health health() {
    return health;
  }

  /** {@code kafka} UP while the cluster answers (already part of {@link #health()}'s readiness). */
  public HealthCheck kafkaCheck() {
    requireKafka();
    return probe.check();
  }

  /** Opens the health and metrics endpoint (unless {@link Endpoint#NONE}) and says the service started. */
  public ServiceRuntime started() {
    long ms = Duration.ofNanos(System.nanoTime() - createdNanos).toMillis();
    if (endpointSettings.port() < 0) {
      LOG.info("{} started in {} ms", name, ms);
      return this;
    }
    endpoint = new HealthEndpoint(endpointSettings.host(), endpointSettings.port(), health, metrics::scrape);
    LOG.info("{} started in {} ms; health on http://{}:{}/health (/live, /ready), metrics on /metrics", name, ms,
        endpointSettings.host(), endpoint.port());
    return this;
  }

  /** The port of /health and /metrics, or -1 when there are none (not started, or {@link Endpoint#NONE}). */
  public int healthPort() {
    HealthEndpoint current = endpoint;
    return current == null ? -1 : current.port();
  }

  /** Says the service is stopping; call it first in the service's close. */
  public void stopping() {
    LOG.info("{} stopping", name);
  }

  /** Closes the endpoint, the probe and the metric bindings, and says the service stopped. */
  @Override
  public void close() {
    HealthEndpoint current = endpoint;
    if (current != null) {
      current.close();
    }
    if (probe != null) {
      probe.close();
    }
    metrics.close();
    LOG.info("{} stopped", name);
  }
}
