package dev.mediaflow.transform;

import dev.mediaflow.runtime.Health;
import dev.mediaflow.runtime.HealthCheck;
import dev.mediaflow.runtime.HealthEndpoint;
import dev.mediaflow.runtime.KafkaProbe;
import dev.mediaflow.schemas.serde.AvroTrust;
import dev.mediaflow.schemas.serde.SchemaRegistryClient;
import dev.mediaflow.schemas.topics.Topics;
import dev.mediaflow.transform.topology.TransformTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the transform topology. {@code main} only wires config to {@link TransformTopology#build}. */
public final class TransformService implements AutoCloseable {
  static {
    AvroTrust.install();
  }

  private static final Logger LOG = LoggerFactory.getLogger(TransformService.class);
  private static final Duration REPLACE_PAUSE = Duration.ofSeconds(2);

  private final KafkaStreams streams;
  private final HealthEndpoint health;
  private final KafkaProbe kafka;
  private final TransformTopology.Counts counts = new TransformTopology.Counts();

  public TransformService(TransformConfig config) {
    SchemaRegistryClient registry = new SchemaRegistryClient(config.getString(TransformConfig.SCHEMA_REGISTRY_URL));
    Topics input = new Topics(registry, config.inputNamespace());
    Topics output = new Topics(registry, config.outputNamespace());
    Topology topology =
        TransformTopology.build(input, output, new MediaTransformer(config.rules()), config.itemFilter(), counts);
    this.streams = new KafkaStreams(topology, config.streams());
    streams.setStateListener((now, before) -> LOG.info("transform state {} -> {}", before, now));
    // Item errors never get here (they become dead letters); what does is infrastructure (the
    // registry or Kafka away): retry on a new thread, after a pause so an outage is not a busy loop.
    streams.setUncaughtExceptionHandler(e -> {
      LOG.error("stream thread failed; replacing it in {} ms", REPLACE_PAUSE.toMillis(), e);
      pause(REPLACE_PAUSE);
      return StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    int healthPort = config.getInt(TransformConfig.HEALTH_PORT);
    this.kafka = healthPort < 0 ? null : new KafkaProbe(clientSettings(config.streams()));
    this.health = healthPort < 0 ? null : new HealthEndpoint("127.0.0.1", healthPort,
        new Health().live(this::streamsAlive).ready(this::streamsProcessing).ready(kafka::check),
        () -> Map.of(
            "mediaflow_transform_items_transformed_total", counts.transformed(),
            "mediaflow_transform_items_dead_lettered_total", counts.deadLettered(),
            "mediaflow_transform_items_skipped_total", counts.skipped()));
    if (health != null) {
      LOG.info("transform health and metrics on http://127.0.0.1:{}/health (/live, /ready) and /metrics",
          health.port());
    }
  }

  private static Map<String, Object> clientSettings(Properties streams) {
    Map<String, Object> settings = new HashMap<>();
    streams.forEach((key, value) -> settings.put(key.toString(), value));
    return settings;
  }

  /** Live unless Kafka Streams has stopped for good (ERROR, or shutting down): only a restart helps then. */
  private HealthCheck streamsAlive() {
    KafkaStreams.State state = streams.state();
    return new HealthCheck("streams-alive", !state.hasStartedOrFinishedShuttingDown(), "state " + state);
  }

  /** Ready while Kafka Streams processes (RUNNING) or is about to (REBALANCING). */
  private HealthCheck streamsProcessing() {
    KafkaStreams.State state = streams.state();
    return new HealthCheck("streams", state.isRunningOrRebalancing(), "state " + state);
  }

  private static void pause(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The port of /health and /metrics, or -1 when they are off. */
  public int healthPort() {
    return health == null ? -1 : health.port();
  }

  public TransformService start() {
    streams.start();
    return this;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** What this instance transformed, dead-lettered and skipped since it started. */
  public TransformTopology.Counts counts() {
    return counts;
  }

  /** Stops processing and commits the open transaction. */
  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
    if (health != null) {
      health.close();
      kafka.close();
    }
    LOG.info("transform stopped");
  }

  /** {@code java dev.mediaflow.transform.TransformService [settings.properties]}; SIGTERM stops it cleanly. */
  public static void main(String[] args) throws Exception {
    TransformConfig config = TransformConfig.load(args.length > 0 ? Path.of(args[0]) : null, System.getenv());
    TransformService service = new TransformService(config).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      service.close();
      stopped.countDown();
    }, "transform-shutdown"));
    stopped.await();
  }
}
