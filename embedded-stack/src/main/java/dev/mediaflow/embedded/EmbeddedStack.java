package dev.mediaflow.embedded;

import dev.mediaflow.infra.ChildProcess;
import dev.mediaflow.infra.KafkaBroker;
import dev.mediaflow.infra.S3Server;
import dev.mediaflow.infra.SchemaRegistryServer;
import dev.mediaflow.ingest.IngestConfig;
import dev.mediaflow.ingest.IngestService;
import dev.mediaflow.metadata.ApiKeyScope;
import dev.mediaflow.metadata.ApiKeyStore;
import dev.mediaflow.metadata.ApiKeyToken;
import dev.mediaflow.metadata.NewApiKey;
import dev.mediaflow.schemas.serde.SchemaRegistryClient;
import dev.mediaflow.schemas.topics.TopicProvisioner;
import dev.mediaflow.schemas.topics.Topics;
import dev.mediaflow.query.QueryConfig;
import dev.mediaflow.query.QueryService;
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
import java.util.concurrent.atomic.AtomicBoolean;
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
 *
 * <p>Lifecycle: the broker, the registry and (with services as processes) the services are child
 * JVMs that end with this JVM, even on kill -9. {@link #close()}, also run by a shutdown hook on
 * SIGTERM/SIGINT, stops gateway, transform, sink, then S3, registry and broker, each with a
 * bounded wait, and logs how each ended. A part that dies while the stack runs is restarted by a
 * {@link Supervisor}; one that keeps dying makes the stack stop with a clear message and calls
 * the listener given to {@link #onFailure(Consumer)}.
 *
 * <p>API keys are off by default here (the demo and the tests that do not test them); start with
 * {@link #AUTH_ON} among the ingest settings to require them, and make keys with
 * {@link #createApiKey(String, String, String)} (stored in the stack's metadata store).
 */
public final class EmbeddedStack implements AutoCloseable {
  public static final String BUCKET = "mediaflow";
  public static final int PARTITIONS = 4;
  /** Ingest settings that make the gateway require API keys. */
  public static final Map<String, String> AUTH_ON = Map.of(IngestConfig.AUTH_ENABLED, "true");

  private final Path dataDir;
  private final String jdbcUrl;
  private final Consumer<String> progress;
  private final boolean servicesAsProcesses;
  private final StackPorts ports;
  private final List<AutoCloseable> started = Collections.synchronizedList(new ArrayList<>());
  private KafkaBroker broker;
  private SchemaRegistryServer registry;
  private S3Server s3;
  private IngestService ingest;
  /** The query API and browser; its port (0: a free one) and auth follow the gateway's settings. */
  private QueryService query;
  private int queryPort;
  private Topics topics;
  private AutoCloseable transform;
  private AutoCloseable sink;
  private final Map<String, String> extraTransformSettings = new HashMap<>();
  private final Map<String, String> extraSinkSettings = new HashMap<>();
  private final Map<String, String> extraIngestSettings = new HashMap<>();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final Thread shutdownHook = new Thread(this::close, "embedded-stack-shutdown");
  private volatile Consumer<String> failureListener = reason -> { };
  private volatile String failure;
  private volatile Supervisor supervisor;

  private EmbeddedStack(Path dataDir, String jdbcUrl, Consumer<String> progress, boolean servicesAsProcesses,
      StackPorts ports) {
    this.dataDir = dataDir;
    this.servicesAsProcesses = servicesAsProcesses;
    this.ports = ports;
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
    return start(dataDir, jdbcUrl, progress, servicesAsProcesses, StackPorts.ANY, Map.of());
  }

  /**
   * As {@link #start(Path, String, Consumer, boolean)}, with settings of the gateway on top of the
   * stack's (keys inside {@code mediaflow.ingest.}), e.g. {@link #AUTH_ON}.
   */
  public static EmbeddedStack start(Path dataDir, String jdbcUrl, Consumer<String> progress,
      boolean servicesAsProcesses, Map<String, String> ingestSettings) {
    return start(dataDir, jdbcUrl, progress, servicesAsProcesses, StackPorts.ANY, ingestSettings);
  }

  /**
   * As {@link #start(Path, String, Consumer, boolean, Map)} on chosen ports ({@code mediaflow up}:
   * a fixed gateway port, infrastructure ports kept across restarts); a port of 0 is picked free.
   */
  public static EmbeddedStack start(Path dataDir, String jdbcUrl, Consumer<String> progress,
      boolean servicesAsProcesses, StackPorts ports, Map<String, String> ingestSettings) {
    return start(dataDir, jdbcUrl, progress, servicesAsProcesses, ports, ingestSettings, 0);
  }

  /**
   * As {@link #start(Path, String, Consumer, boolean, StackPorts, Map)} with the query API and
   * browser on {@code queryPort} (0: a free one; {@code mediaflow up}: 8081 unless chosen).
   */
  public static EmbeddedStack start(Path dataDir, String jdbcUrl, Consumer<String> progress,
      boolean servicesAsProcesses, StackPorts ports, Map<String, String> ingestSettings, int queryPort) {
    EmbeddedStack stack = new EmbeddedStack(dataDir.toAbsolutePath(), jdbcUrl, progress, servicesAsProcesses, ports);
    stack.queryPort = queryPort;
    stack.extraIngestSettings.putAll(ingestSettings);
    // one ordered stop on SIGTERM/SIGINT: the children have no hooks of their own to race it
    Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
    try {
      stack.startInfrastructure();
      stack.startServices();
      stack.supervisor = stack.newSupervisor().start();
      return stack;
    } catch (RuntimeException | Error e) {
      stack.close();
      throw e;
    }
  }

  private void startInfrastructure() {
    createDirectories();
    progress.accept("starting Kafka broker (KRaft) ...");
    broker = track(KafkaBroker.builder(dataDir.resolve("kafka")).port(ports.broker())
        .controllerPort(ports.controller()).start());
    progress.accept("Kafka broker up at " + broker.bootstrapServers());
    progress.accept("starting Apicurio schema registry ...");
    registry = track(SchemaRegistryServer.builder(dataDir.resolve("registry")).port(ports.registry()).start());
    progress.accept("schema registry up at " + registry.confluentApiUrl());
    s3 = track(S3Server.start(dataDir.resolve("s3"), ports.s3()));
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
    query = track(new QueryService(new QueryConfig(querySettings())).start());
    progress.accept("query API and browser up at " + queryUrl() + "/");
  }

  /** The query service's settings: the sink's store and bucket, keys on exactly when the gateway's are. */
  public Map<String, String> querySettings() {
    Map<String, String> c = new HashMap<>();
    c.put(QueryConfig.HTTP_PORT, Integer.toString(queryPort));
    c.put(QueryConfig.JDBC_URL, jdbcUrl);
    c.put(QueryConfig.S3_ENDPOINT, s3.endpoint().toString());
    c.put(QueryConfig.S3_ACCESS_KEY, s3.accessKey());
    c.put(QueryConfig.S3_SECRET_KEY, s3.secretKey());
    c.put(QueryConfig.S3_BUCKET, BUCKET);
    c.put(QueryConfig.AUTH_ENABLED, extraIngestSettings.getOrDefault(IngestConfig.AUTH_ENABLED, "false"));
    c.put(QueryConfig.AUTH_CACHE_MS, extraIngestSettings.getOrDefault(IngestConfig.AUTH_CACHE_MS, "2000"));
    return c;
  }

  private IngestService newIngest() {
    Map<String, String> c = new HashMap<>();
    c.put(IngestConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
    c.put(IngestConfig.SCHEMA_REGISTRY_URL, registry.confluentApiUrl());
    c.put(IngestConfig.HTTP_PORT, Integer.toString(ports.gateway()));
    c.put(IngestConfig.PRODUCER_ID, "embedded-gateway");
    // keys live in the stack's metadata store; off unless asked for (demo, tests)
    c.put(IngestConfig.AUTH_ENABLED, "false");
    c.put(IngestConfig.JDBC_URL, jdbcUrl);
    c.putAll(extraIngestSettings);
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

  /**
   * Creates an API key in the stack's metadata store.
   *
   * @param project a project name, or {@code *} for every project
   * @param scope {@code write} or {@code read}
   * @param label a note on who holds it, or null
   * @return the key, {@code mf_<id>_<secret>}: its only copy (the store keeps a hash); never log it
   */
  public String createApiKey(String project, String scope, String label) {
    return createApiKey(project, ApiKeyScope.parse(scope), label).plaintext();
  }

  /** As {@link #createApiKey(String, String, String)}, with the key's description. */
  public NewApiKey createApiKey(String project, ApiKeyScope scope, String label) {
    try (ApiKeyStore keys = new ApiKeyStore(jdbcUrl)) {
      return keys.create(project, scope, label);
    }
  }

  /** Revokes the key (given whole, or by its id); the gateway refuses it within its cache time. */
  public void revokeApiKey(String keyOrId) {
    String id = ApiKeyToken.parse(keyOrId).map(ApiKeyToken::id).orElse(keyOrId);
    try (ApiKeyStore keys = new ApiKeyStore(jdbcUrl)) {
      keys.revoke(id).orElseThrow(() -> new IllegalArgumentException("no API key with id " + id));
    }
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

  /**
   * The query service's base URL without a trailing slash, e.g. {@code http://127.0.0.1:8081}:
   * the media browser is at {@code queryUrl() + "/"}, the API under {@code queryUrl() + "/api/v1"}
   * (docs/QUERY-API.md).
   */
  public String queryUrl() {
    return "http://127.0.0.1:" + query.httpPort();
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

  /**
   * Called once, with the reason, if a part of the stack keeps dying and the stack stops; e.g.
   * the demo exits non-zero. The stack is already closed when it is called.
   */
  public void onFailure(Consumer<String> listener) {
    this.failureListener = listener;
  }

  /** Why the stack gave up, or null while it runs or after a normal close. */
  public String failure() {
    return failure;
  }

  private Supervisor newSupervisor() {
    List<Supervisor.Part> parts = new ArrayList<>();
    parts.add(new Supervisor.Part("Kafka broker", broker::hasDied, broker::exitCode, broker::restart));
    parts.add(new Supervisor.Part("schema registry", registry::hasDied, registry::exitCode, registry::restart));
    parts.add(new Supervisor.Part("transform", () -> hasDied(transform), () -> exitCode(transform),
        () -> restart(transform, this::startTransform)));
    parts.add(new Supervisor.Part("sink", () -> hasDied(sink), () -> exitCode(sink),
        () -> restart(sink, this::startSink)));
    return new Supervisor(parts, progress, this::giveUp);
  }

  /** Only a service still meant to run can have died: one stopped or killed on purpose has left {@link #started}. */
  private synchronized boolean hasDied(AutoCloseable service) {
    if (service == null || !started.contains(service)) {
      return false;
    }
    if (service instanceof ServiceProcess process) {
      return process.hasDied();
    }
    if (service instanceof SinkService inProcess) {
      return !inProcess.isRunning();
    }
    return service instanceof TransformService inProcess && switch (inProcess.state()) {
      case ERROR, PENDING_ERROR, NOT_RUNNING -> true;
      default -> false;
    };
  }

  private static int exitCode(AutoCloseable service) {
    return service instanceof ServiceProcess process ? process.exitCode() : -1;
  }

  private synchronized void restart(AutoCloseable dead, Runnable start) {
    started.remove(dead);
    try {
      dead.close(); // releases what the dead instance still holds (consumer, pid file)
    } catch (Exception e) {
      progress.accept("while cleaning up after " + dead + ": " + e);
    }
    start.run();
  }

  private void giveUp(String reason) {
    failure = reason;
    progress.accept("FATAL: " + reason);
    close();
    failureListener.accept(reason);
  }

  /**
   * Stops gateway, transform, sink, then S3, registry and broker, each waited for with a bounded
   * timeout, so the services drain and commit while Kafka is still there. Runs once; later calls
   * (and the shutdown hook after an explicit close) do nothing.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    long begin = System.nanoTime();
    progress.accept("stopping the stack ...");
    if (supervisor != null) {
      supervisor.close(); // no restart may race the stop
    }
    synchronized (this) {
      stopService("query API", query);
      stopService("gateway", ingest);
      stopService("transform", transform);
      stopService("sink", sink);
      stopInfrastructure();
      started.clear();
    }
    removeShutdownHook();
    progress.accept("stack stopped in " + millisSince(begin) + " ms");
  }

  private void stopService(String name, AutoCloseable service) {
    if (service == null || !started.remove(service)) {
      return;
    }
    long begin = System.nanoTime();
    try {
      service.close();
      progress.accept(name + " stopped in " + millisSince(begin) + " ms");
    } catch (Exception e) {
      progress.accept("while stopping " + name + " (after " + millisSince(begin) + " ms): " + e);
    }
  }

  private void stopInfrastructure() {
    if (s3 != null && started.remove(s3)) {
      long begin = System.nanoTime();
      s3.stop();
      progress.accept("S3 endpoint stopped in " + millisSince(begin) + " ms");
    }
    if (registry != null && started.remove(registry)) {
      describeStop("schema registry", registry.stop());
    }
    if (broker != null && started.remove(broker)) {
      describeStop("Kafka broker", broker.stop());
    }
  }

  private void describeStop(String name, ChildProcess.Exit exit) {
    progress.accept(name + (exit == null ? " was not running" : " " + exit.describe()));
  }

  private void removeShutdownHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shutdownInProgress) {
      // we are the hook, or the JVM is exiting anyway
    }
  }

  private static long millisSince(long beginNanos) {
    return (System.nanoTime() - beginNanos) / 1_000_000;
  }
}
