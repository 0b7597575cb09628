package dev.mediaflow.ingest;

import dev.mediaflow.ingest.client.MediaProducer;
import dev.mediaflow.ingest.auth.Authenticator;
import dev.mediaflow.ingest.http.GatewaySettings;
import dev.mediaflow.ingest.http.LogGateway;
import dev.mediaflow.ingest.logcall.LogCallParser;
import dev.mediaflow.schemas.ops.Health;
import dev.mediaflow.schemas.ops.KafkaProbe;
import dev.mediaflow.schemas.serde.AvroTrust;
import dev.mediaflow.schemas.serde.SchemaRegistryClient;
import dev.mediaflow.schemas.topics.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** The ingest service: the HTTP gateway in front of an idempotent Kafka producer. */
public final class IngestService implements AutoCloseable {
  static {
    AvroTrust.install();
  }

  private final MediaProducer producer;
  private final LogGateway gateway;
  private final KafkaProbe kafka;

  public IngestService(IngestConfig config) throws IOException {
    this(config, authenticator(config));
  }

  /** As {@link #IngestService(IngestConfig)}, with who may write to which project decided by {@code authenticator}. */
  public IngestService(IngestConfig config, Authenticator authenticator) throws IOException {
    Topics topics = new Topics(new SchemaRegistryClient(config.getString(IngestConfig.SCHEMA_REGISTRY_URL)));
    this.producer = new MediaProducer(config.kafka(), topics, config.callTimeout());
    this.kafka = new KafkaProbe(config.kafka());
    this.gateway = new LogGateway(producer, new LogCallParser(config.getString(IngestConfig.PRODUCER_ID)),
        GatewaySettings.of(config), new Health().ready(kafka::check), authenticator);
  }

  /** Who may write to which project; every call is let through until API keys are configured. */
  private static Authenticator authenticator(IngestConfig config) {
    return Authenticator.ALLOW_ALL;
  }

  public IngestService start() {
    gateway.start();
    return this;
  }

  public int httpPort() {
    return gateway.port();
  }

  /** Stops the gateway first (in-flight calls finish and are acknowledged), then flushes the producer. */
  @Override
  public void close() {
    gateway.close();
    producer.flush();
    producer.close();
    kafka.close();
  }

  /** {@code java dev.mediaflow.ingest.IngestService [settings.properties]}; SIGTERM stops it cleanly. */
  public static void main(String[] args) throws Exception {
    IngestConfig config = IngestConfig.load(args.length > 0 ? Path.of(args[0]) : null, System.getenv());
    IngestService service = new IngestService(config).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      service.close();
      stopped.countDown();
    }, "ingest-shutdown"));
    stopped.await();
  }
}
