package dev.mediaflow.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mediaflow.ingest.IngestConfig;
import dev.mediaflow.ingest.IngestService;
import dev.mediaflow.ingest.client.LogCallRequest;
import dev.mediaflow.ingest.npy.NpyWriter;
import dev.mediaflow.ops.init.ClusterInit;
import dev.mediaflow.ops.init.InitReport;
import dev.mediaflow.ops.init.TopicSettings;
import dev.mediaflow.schemas.config.Settings;
import dev.mediaflow.schemas.serde.SchemaRegistryClient;
import dev.mediaflow.schemas.topics.Topics;
import dev.mediaflow.sink.SinkConfig;
import dev.mediaflow.sink.SinkService;
import dev.mediaflow.sink.s3.S3ClientFactory;
import dev.mediaflow.transform.TransformConfig;
import dev.mediaflow.transform.TransformService;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * The end-to-end scenario against containers of the images docker-compose.yml names (Kafka at the
 * pom's version, Apicurio on PostgreSQL, MinIO, PostgreSQL): {@code init} creates the topics and
 * schemas, then ingest, transform and sink run here with the environment compose gives
 * {@code ingest-1}, {@code transform-1} and {@code sink-1} (host names rewritten to the containers'
 * mapped ports), images are logged through the gateway, and the rows and objects are counted.
 *
 * <p>Needs a Docker engine; without one it is skipped with the reason printed.
 */
class ComposeStackContainersIT {
  private static final int CALLS = 4;
  private static final int IMAGES_PER_CALL = 3;
  private static final String PROJECT = "containers";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  static Path dir;

  private static final String NO_DOCKER = "no Docker engine reachable (Testcontainers found none); this test runs"
      + " the compose file's images where one is, e.g. on a developer machine or a CI runner with Docker";

  static boolean docker;
  static JsonNode compose;
  static Network network;
  static KafkaContainer kafka;
  static PostgreSQLContainer registryDb;
  static GenericContainer<?> registry;
  static GenericContainer<?> minio;
  static PostgreSQLContainer postgres;
  static final List<AutoCloseable> services = new ArrayList<>();

  @BeforeAll
  static void startContainers() throws Exception {
    docker = DockerClientFactory.instance().isDockerAvailable();
    if (!docker) {
      System.out.println("[skip] ComposeStackContainersIT: " + NO_DOCKER);
      return;
    }
    compose = readCompose();
    network = Network.newNetwork();
    kafka = new KafkaContainer(DockerImageName.parse(image("kafka-1"))).withNetwork(network);
    registryDb = new PostgreSQLContainer(DockerImageName.parse(image("registry-db"))).withNetwork(network)
        .withNetworkAliases("registry-db").withDatabaseName("registry").withUsername("registry")
        .withPassword("registry");
    registry = new GenericContainer<>(DockerImageName.parse(image("registry"))).withNetwork(network)
        .withEnv(environment("registry")).withExposedPorts(8080)
        .waitingFor(Wait.forHttp("/health/ready").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(3)));
    minio = new GenericContainer<>(DockerImageName.parse(image("minio"))).withNetwork(network)
        .withCommand(compose.path("services").path("minio").path("command").asText().split(" "))
        .withEnv(environment("minio")).withExposedPorts(9000)
        .waitingFor(Wait.forHttp("/minio/health/ready").forPort(9000));
    postgres = new PostgreSQLContainer(DockerImageName.parse(image("postgres"))).withDatabaseName("mediaflow")
        .withUsername("mediaflow").withPassword("mediaflow");
    kafka.start();
    registryDb.start();
    registry.start();
    minio.start();
    postgres.start();
  }

  @AfterAll
  static void stopEverything() throws Exception {
    for (AutoCloseable service : reversed(services)) {
      service.close();
    }
    for (GenericContainer<?> container : new GenericContainer<?>[] {postgres, minio, registry, registryDb, kafka}) {
      if (container != null) {
        container.stop();
      }
    }
    if (network != null) {
      network.close();
    }
  }

  @Test
  void imagesLoggedThroughTheGatewayAreStoredAsRowsInPostgresqlAndObjectsInMinio() throws Exception {
    Assumptions.assumeTrue(docker, NO_DOCKER);
    // init, as the compose one-shot does it, fitted to the single broker
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.getBootstrapServers()))) {
      SchemaRegistryClient client = new SchemaRegistryClient(registryUrl());
      InitReport report = new ClusterInit(admin, client, new Topics(client)).run(new TopicSettings(2, (short) 1, 1));
      assertThat(report.problems()).isEmpty();
      assertThat(report.createdCount()).isEqualTo(5);
    }
    SinkConfig sinkConfig = new SinkConfig(settings("sink-1", SinkConfig.NAMESPACE));
    services.add(new SinkService(sinkConfig).start());
    services.add(new TransformService(new TransformConfig(settings("transform-1", TransformConfig.NAMESPACE))).start());
    IngestService ingest = new IngestService(new IngestConfig(settings("ingest-1", IngestConfig.NAMESPACE))).start();
    services.add(ingest);

    for (int call = 0; call < CALLS; call++) {
      assertThat(logImages(ingest.httpPort(), call)).isEqualTo(200);
    }

    int expected = CALLS * IMAGES_PER_CALL;
    await(Duration.ofSeconds(120), () -> rows() == expected, expected + " rows in PostgreSQL");
    try (S3Client s3 = S3ClientFactory.create(sinkConfig.s3())) {
      await(Duration.ofSeconds(30), () -> objects(s3, sinkConfig.getString(SinkConfig.S3_BUCKET)) == expected,
          expected + " objects in MinIO");
    }
    System.out.printf("[figures] compose images: %d images logged through the gateway, %d rows, %d objects%n",
        expected, rows(), expected);
  }

  /**
   * The environment compose gives a service, read by the service's own settings loader, with the
   * compose host names replaced by the containers' mapped ports and every listening port set to 0
   * (free), and API keys off (the key store is exercised elsewhere).
   */
  private static Map<String, String> settings(String service, String namespace) {
    Map<String, String> env = new TreeMap<>();
    environment(service).forEach((name, value) -> env.put(name, rewriteHosts(value)));
    Map<String, String> values = new TreeMap<>(Settings.load(namespace, null, env));
    values.replaceAll((key, value) -> key.endsWith("port") ? "0" : value);
    values.replace("http.host", "127.0.0.1");
    if (namespace.equals(TransformConfig.NAMESPACE)) {
      values.put(TransformConfig.STATE_DIR, dir.resolve(service).toString());
    }
    if (namespace.equals(IngestConfig.NAMESPACE)) {
      values.put(IngestConfig.AUTH_ENABLED, "false");
    }
    return values;
  }

  private static String rewriteHosts(String value) {
    return value.replace("kafka-1:9092,kafka-2:9092,kafka-3:9092", kafka.getBootstrapServers())
        .replace("http://registry:8080", "http://" + registry.getHost() + ":" + registry.getMappedPort(8080))
        .replace("http://minio:9000", "http://" + minio.getHost() + ":" + minio.getMappedPort(9000))
        .replace("jdbc:postgresql://postgres:5432/mediaflow", postgres.getJdbcUrl());
  }

  private static String registryUrl() {
    return rewriteHosts(compose.path("services").path("init").path("environment")
        .path("MEDIAFLOW_INIT_SCHEMA_REGISTRY_URL").asText());
  }

  private static int logImages(int port, int call) throws Exception {
    StringBuilder json = new StringBuilder("{\"step\": " + call + ", \"data\": {");
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < IMAGES_PER_CALL; i++) {
      keys.add("\"image-" + i + "\": {\"_type\": \"image\", \"array\": \"a" + i + "\"}");
    }
    json.append(String.join(", ", keys)).append("}}");
    LogCallRequest request = new LogCallRequest(json.toString());
    for (int i = 0; i < IMAGES_PER_CALL; i++) {
      byte[] pixels = new byte[8 * 8 * 3 * 4];
      pixels[i] = 1;
      request.part("a" + i, "a" + i + ".npy", "application/octet-stream",
          NpyWriter.write("float32", new long[] {8, 8, 3}, pixels));
    }
    HttpRequest http = HttpRequest.newBuilder(request.build("http://127.0.0.1:" + port, PROJECT, "run-1"),
        (n, v) -> true).build();
    HttpResponse<String> response = HTTP.send(http, HttpResponse.BodyHandlers.ofString());
    assertThat(response.body()).as("status %d", response.statusCode()).contains("\"accepted\":" + IMAGES_PER_CALL);
    return response.statusCode();
  }

  private static long rows() throws SQLException {
    try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl(), "mediaflow", "mediaflow");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM media_item WHERE project = '" + PROJECT + "'")) {
      return r.next() ? r.getLong(1) : 0;
    } catch (SQLException e) {
      if (String.valueOf(e.getMessage()).contains("media_item")) {
        return 0; // not migrated yet
      }
      throw e;
    }
  }

  private static long objects(S3Client s3, String bucket) {
    try {
      return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("media/" + PROJECT + "/")).contents().stream()
          .count();
    } catch (NoSuchBucketException e) {
      return 0;
    }
  }

  private static List<AutoCloseable> reversed(List<AutoCloseable> list) {
    List<AutoCloseable> copy = new ArrayList<>(list);
    java.util.Collections.reverse(copy);
    return copy;
  }

  private static JsonNode readCompose() throws Exception {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.exists(root.resolve("docker-compose.yml"))) {
      root = root.getParent();
    }
    return new ObjectMapper(new YAMLFactory()).readTree(root.resolve("docker-compose.yml").toFile());
  }

  private static String image(String service) {
    String image = compose.path("services").path(service).path("image").asText();
    assertThat(image).as("docker-compose.yml names an image for %s", service).isNotBlank();
    return image;
  }

  private static Map<String, String> environment(String service) {
    Map<String, String> env = new TreeMap<>();
    compose.path("services").path(service).path("environment").fields()
        .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    return env;
  }

  private static void await(Duration timeout, Callable<Boolean> condition, String what) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.call()) {
      assertThat(System.nanoTime()).as("timed out waiting for %s", what).isLessThan(deadline);
      Thread.sleep(500);
    }
  }
}
