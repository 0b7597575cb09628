package dev.mediaflow.ingest;

import dev.mediaflow.ingest.auth.ApiKeyAuthenticator;
import dev.mediaflow.ingest.auth.Authenticator;
import dev.mediaflow.ingest.client.MediaProducer;
import dev.mediaflow.ingest.http.GatewaySettings;
import dev.mediaflow.ingest.http.LogGateway;
import dev.mediaflow.ingest.logcall.LogCallParser;
import dev.mediaflow.metadata.ApiKeyStore;
import dev.mediaflow.runtime.ServiceRuntime;
import dev.mediaflow.runtime.Shutdown;
import dev.mediaflow.runtime.Startup;
import dev.mediaflow.schemas.serde.AvroTrust;
import dev.mediaflow.schemas.serde.SchemaRegistryClient;
import dev.mediaflow.schemas.topics.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ingest service: the HTTP gateway in front of an idempotent Kafka producer. */
public final class IngestService implements AutoCloseable {
  static {
    AvroTrust.install();
  }
  private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

  private final MediaProducer producer;
  private final LogGateway gateway;
  private final ServiceRuntime runtime;
  /** The API keys, or null with auth off. */
  private final ApiKeyStore keys;

  public IngestService(IngestConfig config) throws IOException {
    this(config, null);
  }

  /**
   * As {@link #IngestService(IngestConfig)}, with who may write to which project decided by
   * {@code authenticator} instead of the configured API keys (null: as configured).
   *
   * @throws dev.mediaflow.runtime.MissingTopicsException when the topics it writes do not exist
   *     (run {@code mediaflow init})
   */
  public IngestService(IngestConfig config, Authenticator authenticator) throws IOException {
    Topics topics = new Topics(new SchemaRegistryClient(config.getString(IngestConfig.SCHEMA_REGISTRY_URL)));
    // health and metrics are served by the gateway, on its own host and port
    this.runtime = new ServiceRuntime("ingest", config.kafka(), ServiceRuntime.Endpoint.NONE);
    try {
      runtime.requireTopics(List.of(topics.raw().name(), topics.deadLetter().name()));
    } catch (RuntimeException e) {
      runtime.close();
      throw e;
    }
    this.keys = authenticator == null && config.authEnabled()
        ? new ApiKeyStore(config.keyStoreDatabase(), Clock.systemUTC()) : null;
    this.producer = new MediaProducer(config.kafka().producer(Map.of()), topics, config.callTimeout(),
        settings -> runtime.clients().producer("items", settings, new ByteArraySerializer(),
            new ByteArraySerializer()));
    this.gateway = new LogGateway(producer, new LogCallParser(config.getString(IngestConfig.PRODUCER_ID)),
        GatewaySettings.of(config), runtime.health(), runtime.metrics(),
        authenticator != null ? authenticator : authenticator(config));
  }

  private Authenticator authenticator(IngestConfig config) {
    if (keys == null) {
      LOG.warn("API keys are OFF ({}{}=false): any caller may log to any project", IngestConfig.NAMESPACE,
          IngestConfig.AUTH_ENABLED);
      return Authenticator.ALLOW_ALL;
    }
    LOG.info("log calls need an API key (Authorization: Bearer); key state cached for {} ms",
        config.authCacheTtl().toMillis());
    return new ApiKeyAuthenticator(keys::find, config.authCacheTtl());
  }

  public IngestService start() {
    gateway.start();
    runtime.started();
    return this;
  }

  public int httpPort() {
    return gateway.port();
  }

  /** Stops the gateway first (in-flight calls finish and are acknowledged), then flushes the producer. */
  @Override
  public void close() {
    runtime.stopping();
    gateway.close();
    producer.flush();
    producer.close();
    if (keys != null) {
      keys.close();
    }
    runtime.close();
  }

  /** {@code java dev.mediaflow.ingest.IngestService [settings.properties]}; SIGTERM stops it cleanly. */
  public static void main(String[] args) throws Exception {
    Path file = args.length > 0 ? Path.of(args[0]) : null;
    IngestConfig config = Startup.orExit("ingest", () -> IngestConfig.load(file, System.getenv()));
    IngestService service = Startup.orExit("ingest", () -> new IngestService(config).start());
    Shutdown.onSignal("ingest", service).await();
  }
}
