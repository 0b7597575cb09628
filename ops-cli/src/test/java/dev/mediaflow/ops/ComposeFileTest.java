package dev.mediaflow.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mediaflow.ingest.IngestConfig;
import dev.mediaflow.ops.init.InitConfig;
import dev.mediaflow.query.QueryConfig;
import dev.mediaflow.schemas.config.Settings;
import dev.mediaflow.sink.SinkConfig;
import dev.mediaflow.transform.TransformConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.kafka.common.config.AbstractConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * docker-compose.yml and the Dockerfile are not run here (no Docker engine), so this keeps them
 * honest: images at the pom's versions, Kafka's data on its volume, a persistent registry, and
 * every {@code MEDIAFLOW_*} variable one that the service of that container really reads.
 */
class ComposeFileTest {
  /** The config class that reads each mediaflow command's settings. */
  private static final Map<String, Function<Map<String, String>, AbstractConfig>> CONFIGS = Map.of(
      "ingest", values -> new IngestConfig(values),
      "transform", values -> new TransformConfig(values),
      "sink", values -> new SinkConfig(values),
      "init", values -> new InitConfig(values),
      "query", values -> new QueryConfig(values));
  private static final Map<String, String> NAMESPACES = Map.of("ingest", IngestConfig.NAMESPACE,
      "transform", TransformConfig.NAMESPACE, "sink", SinkConfig.NAMESPACE, "init", InitConfig.NAMESPACE,
      "query", QueryConfig.NAMESPACE);

  static Path root;
  static JsonNode services;
  static Element pomProperties;

  @BeforeAll
  static void read() throws Exception {
    root = Path.of("").toAbsolutePath();
    while (!Files.exists(root.resolve("docker-compose.yml"))) {
      root = root.getParent();
    }
    services = new ObjectMapper(new YAMLFactory()).readTree(root.resolve("docker-compose.yml").toFile())
        .path("services");
    pomProperties = (Element) DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(root.resolve("pom.xml").toFile()).getDocumentElement().getElementsByTagName("properties").item(0);
  }

  @Test
  void kafkaRunsThePomsKafkaVersionOnThreeBrokersWithItsDataOnTheVolume() {
    List<String> brokers = servicesWithImage("apache/kafka:");
    assertThat(brokers).hasSize(3);
    for (String broker : brokers) {
      JsonNode service = services.path(broker);
      assertThat(service.path("image").asText()).isEqualTo("apache/kafka:" + pom("kafka.version"));
      String logDirs = service.path("environment").path("KAFKA_LOG_DIRS").asText();
      assertThat(logDirs).as("%s keeps its log on a path", broker).isNotBlank();
      assertThat(volumeTargets(service)).as("%s's KAFKA_LOG_DIRS is a mounted volume", broker).contains(logDirs);
      assertThat(service.path("environment").path("KAFKA_MIN_INSYNC_REPLICAS").asInt()).isEqualTo(2);
    }
  }

  @Test
  void theRegistryIsApicurioAtThePomsVersionStoringInPostgresql() {
    List<String> registries = servicesWithImage("apicurio/");
    assertThat(registries).hasSize(1);
    JsonNode registry = services.path(registries.get(0));
    assertThat(registry.path("image").asText()).isEqualTo("apicurio/apicurio-registry-sql:" + pom("apicurio.version"));
    String url = registry.path("environment").path("REGISTRY_DATASOURCE_URL").asText();
    assertThat(url).startsWith("jdbc:postgresql://");
    String database = url.replaceFirst("jdbc:postgresql://([^:/]+).*", "$1");
    assertThat(volumeTargets(services.path(database))).as("the registry's database keeps its files")
        .contains("/var/lib/postgresql/data");
  }

  @Test
  void postgresqlIsVersion15OrLaterAndTheImageRunsJava17() throws Exception {
    for (String name : servicesWithImage("postgres:")) {
      String tag = services.path(name).path("image").asText().substring("postgres:".length());
      assertThat(Integer.parseInt(tag.split("[.-]")[0])).as(name).isGreaterThanOrEqualTo(15);
    }
    Matcher from = Pattern.compile("(?m)^FROM eclipse-temurin:(\\d+)[.\\d_]*-jre\\s*$")
        .matcher(Files.readString(root.resolve("Dockerfile")));
    assertThat(from.find()).as("Dockerfile FROM eclipse-temurin:<pinned>-jre").isTrue();
    assertThat(from.group(1)).isEqualTo(pom("maven.compiler.release")).isEqualTo("17");
  }

  @Test
  void theMediaflowContainersRunTheImageOfTheDockerfileAfterInit() {
    List<String> mediaflow = servicesWithImage("mediaflow:");
    assertThat(mediaflow).hasSizeGreaterThanOrEqualTo(8);
    for (String name : mediaflow) {
      JsonNode service = services.path(name);
      assertThat(service.path("image").asText()).isEqualTo("mediaflow:${MEDIAFLOW_VERSION:-0.1.0-SNAPSHOT}");
      assertThat(service.path("build").asText()).isEqualTo(".");
      if (!command(service).equals("init")) {
        assertThat(service.path("depends_on").path("init").path("condition").asText()).as(name)
            .isEqualTo("service_completed_successfully");
      }
    }
    assertThat(mediaflow.stream().map(name -> command(services.path(name))))
        .as("two instances of each pipeline service").containsOnlyOnce("init")
        .filteredOn(c -> List.of("ingest", "transform", "sink").contains(c)).hasSize(6);
    assertThat(mediaflow.stream().map(name -> command(services.path(name)))).as("the query service").contains("query");
  }

  @Test
  void everyMediaflowVariableIsAKeyTheServiceOfItsContainerReads() {
    List<String> checked = new ArrayList<>();
    for (String name : servicesWithImage("mediaflow:")) {
      JsonNode service = services.path(name);
      String command = command(service);
      assertThat(CONFIGS).as("a config class for `%s` (service %s)", command, name).containsKey(command);
      Map<String, String> env = environment(service);
      String envPrefix = NAMESPACES.get(command).toUpperCase().replace('.', '_');
      env.keySet().stream().filter(var -> var.startsWith("MEDIAFLOW_")).forEach(var -> {
        assertThat(var).as("%s's variable names its own service", name).startsWith(envPrefix);
        checked.add(name + ":" + var);
      });
      Map<String, String> values = Settings.load(NAMESPACES.get(command), null, env);
      AbstractConfig config = CONFIGS.get(command).apply(values); // also: required keys present, types valid
      for (String key : values.keySet()) {
        assertThat(config.values().containsKey(key) || key.startsWith("kafka."))
            .as("%s: %s%s is a key of %s", name, NAMESPACES.get(command), key, config.getClass().getSimpleName())
            .isTrue();
      }
    }
    assertThat(checked).hasSizeGreaterThan(40).anyMatch(var -> var.startsWith("query-1:MEDIAFLOW_QUERY_"));
  }

  private static String pom(String property) {
    return pomProperties.getElementsByTagName(property).item(0).getTextContent().trim();
  }

  private static List<String> servicesWithImage(String prefix) {
    List<String> names = new ArrayList<>();
    services.fields().forEachRemaining(e -> {
      if (e.getValue().path("image").asText().startsWith(prefix)) {
        names.add(e.getKey());
      }
    });
    return names;
  }

  private static String command(JsonNode service) {
    return service.path("command").path(0).asText();
  }

  private static Map<String, String> environment(JsonNode service) {
    Map<String, String> env = new TreeMap<>();
    service.path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    return env;
  }

  /** Container paths of the named volumes mounted into a service ({@code volume:/path}). */
  private static List<String> volumeTargets(JsonNode service) {
    List<String> targets = new ArrayList<>();
    service.path("volumes").forEach(v -> targets.add(v.asText().replaceFirst("^[^:]+:", "").replaceFirst(":ro$", "")));
    return targets;
  }
}
