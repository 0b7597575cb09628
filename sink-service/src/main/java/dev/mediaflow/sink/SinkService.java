package dev.mediaflow.sink;

import dev.mediaflow.runtime.Health;
import dev.mediaflow.runtime.HealthCheck;
import dev.mediaflow.runtime.HealthEndpoint;
import dev.mediaflow.runtime.KafkaProbe;
import dev.mediaflow.schemas.serde.AvroTrust;
import dev.mediaflow.schemas.serde.SchemaRegistryClient;
import dev.mediaflow.schemas.topics.Topics;
import dev.mediaflow.sink.consumer.SinkLoop;
import dev.mediaflow.sink.s3.ObjectStore;
import dev.mediaflow.sink.s3.S3ClientFactory;
import dev.mediaflow.sink.sql.MetadataStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
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
  private final HealthEndpoint health;
  private final KafkaProbe kafka;

  public SinkService(SinkConfig config) {
    Topics topics = new Topics(new SchemaRegistryClient(config.getString(SinkConfig.SCHEMA_REGISTRY_URL)),
        config.getString(SinkConfig.TOPIC_NAMESPACE));
    ObjectStore objects = new ObjectStore(S3ClientFactory.create(config.s3()), config.getString(SinkConfig.S3_BUCKET));
    objects.ensureBucket();
    this.metadata = new MetadataStore(config.getString(SinkConfig.JDBC_URL), config.getString(SinkConfig.JDBC_USER),
        config.jdbcPassword(), config.getString(SinkConfig.JDBC_SCHEMA));
    MediaSink sink = new MediaSink(objects, metadata, new ObjectKeys(config.getString(SinkConfig.S3_PREFIX)),
        Clock.systemUTC());
    this.deadLetters = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.getString(SinkConfig.BOOTSTRAP_SERVERS),
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 66 * 1024 * 1024), new ByteArraySerializer(), new ByteArraySerializer());
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config.consumer(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    StoreWatch store = new StoreWatch(sink::write);
    this.loop = new SinkLoop(consumer, deadLetters, topics, store);
    this.thread = new Thread(loop, "sink-loop");
    int healthPort = config.getInt(SinkConfig.HEALTH_PORT);
    this.kafka = healthPort < 0 ? null : new KafkaProbe(config.consumer());
    Health checks = new Health()
        .live(() -> new HealthCheck("sink-loop", thread.isAlive(), thread.isAlive() ? "running" : "ended"))
        .ready(() -> kafka.check())
        .ready(store::check);
    this.health = healthPort < 0 ? null : new HealthEndpoint("127.0.0.1", healthPort, checks,
        () -> Map.of(
            "mediaflow_sink_items_stored_total", loop.stored(),
            "mediaflow_sink_items_dead_lettered_total", loop.deadLettered(),
            "mediaflow_sink_partitions_waiting", loop.partitionsWaiting()));
    if (health != null) {
      LOG.info("sink health and metrics on http://127.0.0.1:{}/health (/live, /ready) and /metrics", health.port());
    }
  }

  /** The port of /health and /metrics, or -1 when they are off. */
  public int healthPort() {
    return health == null ? -1 : health.port();
  }

  public SinkService start() {
    thread.start();
    LOG.info("sink started");
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
    loop.stop();
    try {
      thread.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deadLetters.close();
    metadata.close();
    if (health != null) {
      health.close();
      kafka.close();
    }
  }

  /** {@code java dev.mediaflow.sink.SinkService [settings.properties]}; SIGTERM stops it cleanly. */
  public static void main(String[] args) throws Exception {
    SinkConfig config = SinkConfig.load(args.length > 0 ? Path.of(args[0]) : null, System.getenv());
    SinkService service = new SinkService(config).start();
    CountDownLatch stopping = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopping.countDown();
      service.close();
    }, "sink-shutdown"));
    service.thread.join();
    if (stopping.getCount() > 0) {
      LOG.error("sink loop ended on its own; exiting so a supervisor restarts it");
      System.exit(1);
    }
  }
}
