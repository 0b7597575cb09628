package dev.mediaflow.transform;

import dev.mediaflow.runtime.HealthCheck;
import dev.mediaflow.runtime.Metrics;
import dev.mediaflow.runtime.ServiceRuntime;
import dev.mediaflow.runtime.Shutdown;
import dev.mediaflow.runtime.Startup;
import dev.mediaflow.schemas.serde.AvroTrust;
import dev.mediaflow.schemas.serde.SchemaRegistryClient;
import dev.mediaflow.schemas.topics.Topics;
import dev.mediaflow.transform.simd.Kernels;
import dev.mediaflow.transform.topology.TransformTopology;
import java.nio.file.Path;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.List;
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
  private final ServiceRuntime runtime;
  private final TransformTopology.Counts counts = new TransformTopology.Counts();

  /**
   * @throws dev.mediaflow.runtime.MissingTopicsException when the topics it reads or writes do not
   *     exist (run {@code mediaflow init})
   */
  public TransformService(TransformConfig config) {
    SchemaRegistryClient registry = new SchemaRegistryClient(config.getString(TransformConfig.SCHEMA_REGISTRY_URL));
    Topics input = new Topics(registry, config.inputNamespace());
    Topics output = new Topics(registry, config.outputNamespace());
    this.runtime = new ServiceRuntime("transform", config.kafka(), config.healthEndpoint());
    try {
      runtime.requireTopics(List.of(input.raw().name(), output.processed().name(), output.deadLetter().name()));
    } catch (RuntimeException e) {
      runtime.close();
      throw e;
    }
    Topology topology =
        TransformTopology.build(input, output, new MediaTransformer(config.rules()), config.itemFilter(), counts);
    this.streams = new KafkaStreams(topology, runtime.clients().streams("transform", config.streamsDefaults()));
    streams.setStateListener((now, before) -> LOG.info("transform state {} -> {}", before, now));
    // Item errors never get here (they become dead letters); what does is infrastructure (the
    // registry or Kafka away): retry on a new thread, after a pause so an outage is not a busy loop.
    streams.setUncaughtExceptionHandler(e -> {
      LOG.error("stream thread failed; replacing it in {} ms", REPLACE_PAUSE.toMillis(), e);
      pause(REPLACE_PAUSE);
      return StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    runtime.health().live(this::streamsAlive).ready(this::streamsProcessing);
    bindMetrics(runtime.metrics());
    LOG.info("transform kernels: {}", Kernels.activeDescription());
  }

  private void bindMetrics(Metrics metrics) {
    metrics.bind(new KafkaStreamsMetrics(streams));
    metrics.counter("mediaflow.transform.items.transformed", "raw items transformed", counts::transformed);
    metrics.counter("mediaflow.transform.items.dead.lettered", "raw items sent to the dead-letter topic",
        counts::deadLettered);
    metrics.counter("mediaflow.transform.items.skipped", "raw items outside filter.* (replays)", counts::skipped);
    for (String kernel : KernelCpu.KERNELS) {
      // -> mediaflow_transform_kernel_cpu_seconds_total{kernel="..."}; JVM-wide, see KernelCpu
      FunctionCounter.builder("mediaflow.transform.kernel.cpu", kernel, KernelCpu::seconds)
          .description("CPU time spent inside media kernels (normalize, encoders, histogram, point cloud, ...)")
          .baseUnit("seconds").tag("kernel", kernel).register(metrics.registry());
    }
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
    return runtime.healthPort();
  }

  public TransformService start() {
    streams.start();
    runtime.started();
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
    runtime.stopping();
    streams.close(Duration.ofSeconds(30));
    runtime.close();
  }

  /** {@code java dev.mediaflow.transform.TransformService [settings.properties]}; SIGTERM stops it cleanly. */
  public static void main(String[] args) throws Exception {
    Path file = args.length > 0 ? Path.of(args[0]) : null;
    TransformConfig config = Startup.orExit("transform", () -> TransformConfig.load(file, System.getenv()));
    TransformService service = Startup.orExit("transform", () -> new TransformService(config).start());
    Shutdown.onSignal("transform", service).await();
  }
}
