package dev.mediaflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalEndpointsTest {
  private static final LocalEndpoints LOCAL = new LocalEndpoints(n -> 19090 + n, "http://127.0.0.1:18080",
      "http://127.0.0.1:19000", "local_db");
  private static final ComposeFile COMPOSE = ComposeFile.read(ComposeFile.locate());

  @Test
  void shouldRunTwoInstancesOfEachStageAndTheInitOneShotFromTheComposeFile() {
    assertThat(List.of("ingest", "transform", "sink"))
        .allSatisfy(stage -> assertThat(COMPOSE.servicesRunning(stage)).hasSizeGreaterThanOrEqualTo(2));
    assertThat(COMPOSE.service("init").subcommand()).contains("init");
  }

  @Test
  void shouldPointEveryServiceAtTheLocalClusterRegistryS3AndDatabase() {
    for (String stage : List.of("init", "ingest", "transform", "sink", "query")) {
      for (ComposeFile.Service service : COMPOSE.servicesRunning(stage)) {
        Map<String, String> env = LOCAL.environment(service, new HashMap<>(), Path.of("/tmp/v"));
        assertThat(env).as(service.name()).containsOnlyKeys(service.environment().keySet());
        env.forEach((name, value) -> {
          if (name.endsWith("_BOOTSTRAP_SERVERS")) {
            assertThat(value).isEqualTo("127.0.0.1:19091,127.0.0.1:19092,127.0.0.1:19093");
          }
          if (name.endsWith("_SCHEMA_REGISTRY_URL")) {
            assertThat(value).isEqualTo("http://127.0.0.1:18080/apis/ccompat/v7");
          }
          if (name.endsWith("_JDBC_URL")) {
            assertThat(value).isEqualTo("jdbc:postgresql://127.0.0.1:5432/local_db");
          }
          if (name.endsWith("_S3_ENDPOINT")) {
            assertThat(value).isEqualTo("http://127.0.0.1:19000");
          }
        });
      }
    }
  }

  @Test
  void shouldGiveEachInstanceFreshPortsKeptAcrossRestartsAndItsVolumeUnderItsDirectory() {
    ComposeFile.Service transform = COMPOSE.servicesRunning("transform").get(0);
    Map<String, Integer> ports = new HashMap<>();
    Map<String, String> first = LOCAL.environment(transform, ports, Path.of("/tmp/t1"));
    Map<String, String> again = LOCAL.environment(transform, ports, Path.of("/tmp/t1"));
    assertThat(again).isEqualTo(first);
    assertThat(first.get("MEDIAFLOW_TRANSFORM_HEALTH_PORT"))
        .isNotEqualTo(transform.environment().get("MEDIAFLOW_TRANSFORM_HEALTH_PORT"));
    assertThat(first.get("MEDIAFLOW_TRANSFORM_STATE_DIR")).startsWith("/tmp/t1/");
  }

  @Test
  void shouldRefuseAComposeHostItCannotMap() {
    ComposeFile.Service odd = new ComposeFile.Service("odd", List.of("sink"),
        Map.of("MEDIAFLOW_SINK_S3_ENDPOINT", "http://minio-2:9000"), List.of());
    assertThatThrownBy(() -> LOCAL.environment(odd, new HashMap<>(), Path.of("/tmp/o")))
        .hasMessageContaining("minio-2:9000");
  }
}
