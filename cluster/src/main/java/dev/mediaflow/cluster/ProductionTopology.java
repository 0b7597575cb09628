package dev.mediaflow.cluster;

import dev.mediaflow.infra.KafkaCluster;
import dev.mediaflow.infra.S3Server;
import dev.mediaflow.infra.SchemaRegistryServer;
import dev.mediaflow.metadata.ApiKeyScope;
import dev.mediaflow.metadata.ApiKeyStore;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The topology of {@code docker-compose.yml} on one machine, without Docker: a three-node KRaft
 * cluster, Apicurio Registry with a file store that survives restarts, S3Proxy standing in for
 * MinIO, a fresh PostgreSQL database, the {@code init} one-shot, then the ingest, transform and
 * sink instances of the file, each its own process configured only by the file's environment
 * (see {@link LocalEndpoints} for the host and port substitution).
 *
 * <p>The registry: the compose file runs Apicurio on PostgreSQL (the {@code apicurio-registry-sql}
 * image); the Maven distribution of Apicurio 2.6 carries only the H2 driver, so here its schemas
 * live in an H2 file, which is just as persistent across restarts.
 */
public final class ProductionTopology implements AutoCloseable {
  /** The stages whose instances run as processes, in start order (sinks migrate SQL first). */
  public static final List<String> STAGES = List.of("sink", "transform", "ingest");
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

  private final Path dir;
  private final ComposeFile compose;
  private final Consumer<String> progress;
  private final Map<String, List<ServiceInstance>> instances = new LinkedHashMap<>();
  private S3Server s3;
  private KafkaCluster kafka;
  private SchemaRegistryServer registry;
  private LocalPostgres postgres;
  private LocalEndpoints endpoints;

  private ProductionTopology(Path dir, ComposeFile compose, Consumer<String> progress) {
    this.dir = dir.toAbsolutePath();
    this.compose = compose;
    this.progress = progress;
  }

  /**
   * Starts everything and waits until every instance is ready.
   *
   * @param dir directory for all data and logs
   * @param compose the compose file
   * @param instancesPerStage how many of the file's instances of each stage to run (the first by name)
   * @param serviceJvmOptions JVM options of each service process
   * @param progress receives one line per step
   * @return the running topology
   * @throws SQLException if PostgreSQL at 127.0.0.1:5432 cannot be reached (nothing is left running)
   */
  public static ProductionTopology start(Path dir, ComposeFile compose, int instancesPerStage,
      List<String> serviceJvmOptions, Consumer<String> progress) throws SQLException {
    ProductionTopology topology = new ProductionTopology(dir, compose, progress);
    try {
      topology.startInfrastructure();
      topology.runInit();
      topology.startServices(instancesPerStage, serviceJvmOptions);
      return topology;
    } catch (RuntimeException | SQLException e) {
      topology.close();
      throw e;
    }
  }

  private void startInfrastructure() throws SQLException {
    Map<String, String> sinkEnv = compose.servicesRunning("sink").get(0).environment();
    postgres = LocalPostgres.create(sinkEnv.get("MEDIAFLOW_SINK_JDBC_USER"), sinkEnv.get("MEDIAFLOW_SINK_JDBC_PASSWORD"));
    progress.accept("PostgreSQL database " + postgres.database() + " created");
    s3 = S3Server.start(dir.resolve("s3"));
    long begin = System.nanoTime();
    // the broker and registry JVMs start in parallel: each spends seconds loading classes
    CompletableFuture<SchemaRegistryServer> registryStart = CompletableFuture.supplyAsync(
        () -> SchemaRegistryServer.builder(dir.resolve("registry")).startupTimeout(READY_TIMEOUT).start());
    try {
      kafka = KafkaCluster.builder(dir.resolve("kafka")).start();
    } finally {
      registry = registryStart.join();
    }
    progress.accept("3 Kafka nodes (" + kafka.bootstrapServers() + ") and the registry (" + registry.baseUrl()
        + ") up in " + millisSince(begin) + " ms");
    endpoints = new LocalEndpoints(kafka::clientPort, registry.baseUrl(), s3.endpoint().toString(),
        postgres.database());
  }

  private void runInit() {
    long begin = System.nanoTime();
    ComposeFile.Service init = compose.service("init");
    String output = new ServiceInstance(init, endpoints, dir.resolve("services").resolve(init.name()),
        List.of("-Xmx256m", "-XX:TieredStopAtLevel=1")).runToCompletion(Duration.ofMinutes(2));
    progress.accept("init done in " + millisSince(begin) + " ms: " + output.lines()
        .filter(l -> l.startsWith("[init]")).reduce((a, b) -> b).orElse("(no summary line)"));
  }

  private void startServices(int instancesPerStage, List<String> jvmOptions) {
    long begin = System.nanoTime();
    for (String stage : STAGES) {
      List<ComposeFile.Service> services = compose.servicesRunning(stage);
      if (services.size() < instancesPerStage) {
        throw new IllegalStateException(compose.file() + " has " + services.size() + " " + stage + " services, "
            + instancesPerStage + " wanted");
      }
      List<ServiceInstance> started = new ArrayList<>();
      for (ComposeFile.Service service : services.subList(0, instancesPerStage)) {
        started.add(new ServiceInstance(service, endpoints, dir.resolve("services").resolve(service.name()),
            jvmOptions).start());
      }
      instances.put(stage, started);
    }
    all().forEach(instance -> instance.awaitReady(READY_TIMEOUT));
    progress.accept(all().size() + " service processes ready in " + millisSince(begin) + " ms");
  }

  /**
   * Starts the compose file's first query service (the read-only API over the metadata store and
   * S3); on request only, so the pipeline's measurements never include it.
   *
   * @return it, ready
   */
  public ServiceInstance startQuery() {
    List<ComposeFile.Service> queries = compose.servicesRunning("query");
    if (queries.isEmpty()) {
      throw new IllegalStateException(compose.file() + " has no query service");
    }
    ComposeFile.Service service = queries.get(0);
    ServiceInstance query = new ServiceInstance(service, endpoints, dir.resolve("services").resolve(service.name()),
        List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")).start();
    instances.put("query", List.of(query));
    return query.awaitReady(READY_TIMEOUT);
  }

  /**
   * @param stage {@code ingest}, {@code transform}, {@code sink} or {@code query}
   * @return its running instances
   */
  public List<ServiceInstance> instances(String stage) {
    return instances.getOrDefault(stage, List.of());
  }

  /** @return every service instance */
  public List<ServiceInstance> all() {
    return instances.values().stream().flatMap(List::stream).toList();
  }

  /** @return the Kafka cluster */
  public KafkaCluster kafka() {
    return kafka;
  }

  /** @return the registry */
  public SchemaRegistryServer registry() {
    return registry;
  }

  /** @return the S3 endpoint */
  public S3Server s3() {
    return s3;
  }

  /** @return the metadata database's JDBC URL (with the compose file's credentials) */
  public String jdbcUrl() {
    return postgres.jdbcUrl();
  }

  /**
   * Makes a write key for a project, as {@code mediaflow ops keys create} would.
   *
   * @param project the project
   * @return the key, for {@code Authorization: Bearer}
   */
  public String createWriteKey(String project) {
    try (ApiKeyStore keys = new ApiKeyStore(postgres.jdbcUrl())) {
      return keys.create(project, ApiKeyScope.parse("write"), "cluster test").plaintext();
    }
  }

  /** Stops the services (SIGTERM, in parallel), then the registry, the cluster and S3; drops the database. */
  @Override
  public void close() {
    CompletableFuture.allOf(all().stream().map(i -> CompletableFuture.runAsync(i::close))
        .toArray(CompletableFuture[]::new)).join();
    if (registry != null) {
      registry.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    if (s3 != null) {
      s3.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  private static long millisSince(long beginNanos) {
    return (System.nanoTime() - beginNanos) / 1_000_000;
  }
}
