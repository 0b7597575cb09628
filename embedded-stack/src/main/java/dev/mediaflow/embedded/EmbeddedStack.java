package dev.mediaflow.embedded;

import dev.mediaflow.infra.KafkaBroker;
import dev.mediaflow.infra.S3Server;
import dev.mediaflow.infra.SchemaRegistryServer;
import dev.mediaflow.ingest.IngestConfig;
import dev.mediaflow.ingest.IngestService;
import dev.mediaflow.schemas.serde.SchemaRegistryClient;
import dev.mediaflow.schemas.topics.TopicProvisioner;
import dev.mediaflow.schemas.topics.Topics;
import dev.mediaflow.sink.SinkConfig;
import dev.mediaflow.sink.SinkService;
import dev.mediaflow.transform.TransformConfig;
import dev.mediaflow.transform.TransformService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The whole pipeline on one machine, data under one directory: a real KRaft broker and
 * Apicurio registry (child processes), S3Proxy (in process), SQLite or PostgreSQL, and the
 * ingest, transform and sink services (in process). Restarting on the same directory
 * reuses all data.
 *
 * <pre>
 *   dataDir/kafka      broker log dirs        dataDir/registry   registry H2 database
 *   dataDir/s3         S3Proxy bucket files   dataDir/metadata.db SQLite metadata
 *   dataDir/transform  Kafka Streams state
 * </pre>
 */
public final class EmbeddedStack implements AutoCloseable {
  public static final String BUCKET = "mediaflow";
  public static final int PARTITIONS = 4;

  private final Path dataDir;
  private final String jdbcUrl;
  private final Consumer<String> progress;
  private final boolean servicesAsProcesses;
  private final List<AutoCloseable> started = Collections.synchronizedList(new ArrayList<>());
  private KafkaBroker broker;
  private SchemaRegistryServer registry;
  private S3Server s3;
  private IngestService ingest;
  private Topics topics;
  private AutoCloseable transform;
  private AutoCloseable sink;
  private final Map<String, String> extraTransformSettings = new HashMap<>();
  private final Map<String, String> extraSinkSettings = new HashMap<>();

  private EmbeddedStack(Path dataDir, String jdbcUrl, Consumer<String> progress, boolean servicesAsProcesses) {
    this.dataDir = dataDir;
    this.servicesAsProcesses = servicesAsProcesses;
    this.jdbcUrl = jdbcUrl != null ? jdbcUrl : "jdbc:sqlite:" + dataDir.resolve("metadata.db");
    this.progress = progress;
  }

  /** Starts everything; {@code jdbcUrl} null means SQLite in the data directory. */
  public static EmbeddedStack start(Path dataDir, String jdbcUrl, Consumer<String> progress) {
    return start(dataDir, jdbcUrl, progress, false);
  }

  /**
   * As {@link #start(Path, String, Consumer)}; with {@code servicesAsProcesses} the transform and
   * the sink run in JVMs of their own (settings in properties files), so a test can kill -9 them.
   */
  public static EmbeddedStack start(Path dataDir, String jdbcUrl, Consumer<String> progress,
      boolean servicesAsProcesses) {
    EmbeddedStack stack = new EmbeddedStack(dataDir.toAbsolutePath(), jdbcUrl, progress, servicesAsProcesses);
    try {
      stack.startInfrastructure();
      stack.startServices();
      return stack;
    } catch (RuntimeException | Error e) {
      stack.close();
      throw e;
    }
  }

  private void startInfrastructure() {
    createDirectories();
    progress.accept("starting Kafka broker (KRaft) ...");
    broker = track(KafkaBroker.start(dataDir.resolve("kafka")));
    progress.accept("Kafka broker up at " + broker.bootstrapServers());
    progress.accept("starting Apicurio schema registry ...");
    registry = track(SchemaRegistryServer.start(dataDir.resolve("registry")));
    progress.accept("schema registry up at " + registry.confluentApiUrl());
    s3 = track(S3Server.start(dataDir.resolve("s3")));
    progress.accept("S3 endpoint (S3Proxy) up at " + s3.endpoint());
    Topics topics = topics();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      TopicProvisioner.ensureTopics(admin, topics, PARTITIONS, (short) 1);
    }
    TopicProvisioner.ensureSchemas(new SchemaRegistryClient(registry.confluentApiUrl()), topics);
    progress.accept("topics and schemas ready");
  }

  private void startServices() {
    startSink();
    startTransform();
    ingest = track(newIngest());
    progress.accept("ingest gateway up at " + gatewayUrl());
  }

  private IngestService newIngest() {
    Map<String, String> c = new HashMap<>();
    c.put(IngestConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
    c.put(IngestConfig.SCHEMA_REGISTRY_URL, registry.confluentApiUrl());
    c.put(IngestConfig.HTTP_PORT, "0");
    c.put(IngestConfig.PRODUCER_ID, "embedded-gateway");
    try {
      return new IngestService(new IngestConfig(c)).start();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot start the HTTP gateway", e);
    }
  }

  /** Starts (again) the transform service; used by restart tests too. */
  public synchronized void startTransform() {
    if (servicesAsProcesses) {
      transform = track(new ServiceProcess("transform", TransformService.class, TransformConfig.NAMESPACE,
          transformSettings(), dataDir.resolve("services")).start());
    } else {
      transform = track(new TransformService(new TransformConfig(transformSettings())).start());
    }
    progress.accept("transform started (Kafka Streams, exactly-once v2)");
  }

  /** Kills the transform process (kill -9); only with services as processes. */
  public synchronized void killTransform() {
    ((ServiceProcess) transform).kill();
    started.remove(transform);
    progress.accept("transform killed");
  }

  /** Stops the transform and the sink the way SIGTERM does (drain, commit), without restarting them. */
  public synchronized void stopServicesGracefully() throws Exception {
    for (AutoCloseable service : List.of(transform, sink)) {
      service.close();
      started.remove(service);
    }
    progress.accept("transform and sink stopped gracefully");
  }

  /** Kills the sink process (kill -9); only with services as processes. */
  public synchronized void killSink() {
    ((ServiceProcess) sink).kill();
    started.remove(sink);
    progress.accept("sink killed");
  }

  public Map<String, String> transformSettings() {
    Map<String, String> c = new HashMap<>();
    c.put(TransformConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
    c.put(TransformConfig.SCHEMA_REGISTRY_URL, registry.confluentApiUrl());
    c.put(TransformConfig.STATE_DIR, dataDir.resolve("transform").toString());
    c.put(TransformConfig.HEALTH_PORT, "0");
    // One machine, no network partitions: notice a dead instance in seconds, not the default 45 s.
    c.put("kafka.session.timeout.ms", "6000");
    c.put("kafka.heartbeat.interval.ms", "1500");
    c.putAll(extraTransformSettings);
    return c;
  }

  /** Starts (again) the sink service; used by restart tests too. */
  public synchronized void startSink() {
    if (servicesAsProcesses) {
      sink = track(new ServiceProcess("sink", SinkService.class, SinkConfig.NAMESPACE, sinkSettings(),
          dataDir.resolve("services")).start());
    } else {
      sink = track(new SinkService(new SinkConfig(sinkSettings())).start());
    }
    progress.accept("sink started (S3 + " + (jdbcUrl.startsWith("jdbc:sqlite") ? "SQLite" : "SQL") + ")");
  }

  public Map<String, String> sinkSettings() {
    Map<String, String> c = new HashMap<>();
    c.put(SinkConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
    c.put(SinkConfig.SCHEMA_REGISTRY_URL, registry.confluentApiUrl());
    c.put(SinkConfig.S3_ENDPOINT, s3.endpoint().toString());
    c.put(SinkConfig.S3_ACCESS_KEY, s3.accessKey());
    c.put(SinkConfig.S3_SECRET_KEY, s3.secretKey());
    c.put(SinkConfig.S3_BUCKET, BUCKET);
    c.put(SinkConfig.JDBC_URL, jdbcUrl);
    c.put(SinkConfig.HEALTH_PORT, "0");
    c.put("kafka.session.timeout.ms", "6000");
    c.put("kafka.heartbeat.interval.ms", "1500");
    c.putAll(extraSinkSettings);
    return c;
  }

  /** Our topics and their serdes, one registry client for the stack's lifetime. */
  public synchronized Topics topics() {
    if (topics == null) {
      topics = new Topics(new SchemaRegistryClient(registry.confluentApiUrl()));
    }
    return topics;
  }

  public String gatewayUrl() {
    return "http://127.0.0.1:" + ingest.httpPort();
  }

  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  public String registryUrl() {
    return registry.confluentApiUrl();
  }

  public S3Server s3() {
    return s3;
  }

  public KafkaBroker broker() {
    return broker;
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Settings added to every later start of the transform (e.g. {@code kafka.session.timeout.ms}). */
  public void overrideTransformSettings(Map<String, String> settings) {
    extraTransformSettings.putAll(settings);
  }

  /** Settings added to every later start of the sink. */
  public void overrideSinkSettings(Map<String, String> settings) {
    extraSinkSettings.putAll(settings);
  }

  private <T extends AutoCloseable> T track(T component) {
    started.add(component);
    return component;
  }

  private void createDirectories() {
    try {
      Files.createDirectories(dataDir);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot create data directory " + dataDir, e);
    }
  }

  /** Stops in reverse order of start: gateway first (callers get answers), infrastructure last. */
  @Override
  public void close() {
    List<AutoCloseable> components = new ArrayList<>(started);
    Collections.reverse(components);
    for (AutoCloseable component : components) {
      try {
        component.close();
      } catch (Exception e) {
        progress.accept("while stopping " + component + ": " + e);
      }
    }
    started.clear();
  }
}
