package dev.mediaflow.sink;

import dev.mediaflow.runtime.HealthCheck;
import dev.mediaflow.runtime.Metrics;
import dev.mediaflow.runtime.ServiceRuntime;
import dev.mediaflow.runtime.Shutdown;
import dev.mediaflow.runtime.Startup;
import dev.mediaflow.schemas.serde.AvroTrust;
import dev.mediaflow.schemas.serde.SchemaRegistryClient;
import dev.mediaflow.schemas.topics.Topics;
import dev.mediaflow.sink.consumer.SinkLoop;
import dev.mediaflow.sink.s3.ObjectStore;
import dev.mediaflow.sink.s3.S3ClientFactory;
import dev.mediaflow.sink.sql.MetadataStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The sink service: one consume loop writing objects to S3 and rows to SQL. */
public final class SinkService implements AutoCloseable {
  static {
    AvroTrust.install();
  }

  private static final Logger LOG = LoggerFactory.getLogger(SinkService.class);

  private final SinkLoop loop;
  private final MetadataStore metadata;
  private final KafkaProducer<byte[], byte[]> deadLetters;
  private final Thread thread;
  private final ServiceRuntime runtime;

  /**
   * @throws dev.mediaflow.runtime.MissingTopicsException when the topics it reads or writes do not
   *     exist (run {@code mediaflow init})
   */
  public SinkService(SinkConfig config) {
    Topics topics = new Topics(new SchemaRegistryClient(config.getString(SinkConfig.SCHEMA_REGISTRY_URL)),
        config.getString(SinkConfig.TOPIC_NAMESPACE));
    this.runtime = new ServiceRuntime("sink", config.kafka(), config.healthEndpoint());
    try {
      runtime.requireTopics(List.of(topics.processed().name(), topics.deadLetter().name()));
    } catch (RuntimeException e) {
      runtime.close();
      throw e;
    }
    ObjectStore objects = new ObjectStore(S3ClientFactory.create(config.s3()), config.getString(SinkConfig.S3_BUCKET));
    objects.ensureBucket();
    this.metadata = new MetadataStore(config.getString(SinkConfig.JDBC_URL), config.getString(SinkConfig.JDBC_USER),
        config.jdbcPassword(), config.getString(SinkConfig.JDBC_SCHEMA));
    MediaSink sink = new MediaSink(objects, metadata, new ObjectKeys(config.getString(SinkConfig.S3_PREFIX)),
        Clock.systemUTC());
    // the dead-letter producer gets the kafka.* pass-through (SASL/SSL) like every other client
    this.deadLetters = runtime.clients().producer("dead-letters", SinkConfig.DEAD_LETTER_PRODUCER,
        new ByteArraySerializer(), new ByteArraySerializer());
    KafkaConsumer<byte[], byte[]> consumer = runtime.clients().consumer("processed-items", config.consumer(),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    StoreWatch store = new StoreWatch(sink::write);
    this.loop = new SinkLoop(consumer, deadLetters, topics, store);
    this.thread = new Thread(loop, "sink-loop");
    runtime.health()
        .live(() -> new HealthCheck("sink-loop", thread.isAlive(), thread.isAlive() ? "running" : "ended"))
        .ready(store::check);
    bindCounters(runtime.metrics());
  }

  private void bindCounters(Metrics metrics) {
    metrics.counter("mediaflow.sink.items.stored", "items whose object and row are durable", loop::stored);
    metrics.counter("mediaflow.sink.items.dead.lettered", "items sent to the dead-letter topic", loop::deadLettered);
    metrics.counter("mediaflow.sink.partitions.revoked", "partitions this instance gave up in rebalances",
        loop::partitionsRevoked);
    metrics.gauge("mediaflow.sink.partitions.waiting", "partitions waiting on a store that failed", null,
        loop::partitionsWaiting);
  }

  /** The port of /health and /metrics, or -1 when they are off. */
  public int healthPort() {
    return runtime.healthPort();
  }

  public SinkService start() {
    thread.start();
    runtime.started();
    return this;
  }

  public boolean isRunning() {
    return thread.isAlive();
  }

  public long stored() {
    return loop.stored();
  }

  /** Finishes the current write of each partition, commits what was written, and closes the stores. */
  @Override
  public void close() {
    runtime.stopping();
    loop.stop();
    try {
      thread.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deadLetters.close();
    metadata.close();
    runtime.close();
  }

  /** {@code java dev.mediaflow.sink.SinkService [settings.properties]}; SIGTERM stops it cleanly. */
  public static void main(String[] args) throws Exception {
    Path file = args.length > 0 ? Path.of(args[0]) : null;
    SinkConfig config = Startup.orExit("sink", () -> SinkConfig.load(file, System.getenv()));
    SinkService service = Startup.orExit("sink", () -> new SinkService(config).start());
    Shutdown shutdown = Shutdown.onSignal("sink", service);
    service.thread.join();
    if (!shutdown.requested()) {
      LOG.error("sink loop ended on its own; exiting so a supervisor restarts it");
      System.exit(1);
    }
  }
}
