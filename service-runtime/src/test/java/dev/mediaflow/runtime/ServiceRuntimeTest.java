package dev.mediaflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.infra.FreePort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ServiceRuntimeTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void shouldServeHealthAndMetricsFromStartedUntilClosedAndBeUnreadyWithoutKafka() throws Exception {
    // Given a runtime whose Kafka cluster is not there, with a service check and a counter
    KafkaSettings nowhere = KafkaSettings.of("127.0.0.1:" + FreePort.find(), Map.of());
    AtomicLong handled = new AtomicLong(7);
    int port;
    try (ServiceRuntime runtime = new ServiceRuntime("test", nowhere, new ServiceRuntime.Endpoint("127.0.0.1", 0))) {
      runtime.health().live(() -> HealthCheck.up("loop", "running"));
      runtime.metrics().counter("mediaflow.test.items.handled", "items handled", handled::get);
      assertThat(runtime.healthPort()).as("no endpoint before started()").isEqualTo(-1);

      // When it is started
      runtime.started();
      port = runtime.healthPort();

      // Then it is live, not ready (Kafka), and its metrics hold the JVM's and the service's meters
      assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);
      HttpResponse<String> ready = get(port, "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("\"kafka\":{\"status\":\"DOWN\"");
      String metrics = get(port, "/metrics").body();
      assertThat(metrics).contains("mediaflow_test_items_handled_total 7.0").contains("jvm_memory_used_bytes")
          .contains("jvm_threads_live_threads").contains("process_uptime_seconds")
          .contains("kafka_admin_client_");
    }
    // and once closed nothing listens any more
    assertThatThrownBy(() -> get(port, "/health/live")).isInstanceOf(IOException.class);
  }

  @Test
  void shouldServeNothingWithEndpointNone() {
    KafkaSettings nowhere = KafkaSettings.of("127.0.0.1:" + FreePort.find(), Map.of());
    try (ServiceRuntime runtime = new ServiceRuntime("test", nowhere, ServiceRuntime.Endpoint.NONE)) {
      assertThat(runtime.started().healthPort()).isEqualTo(-1);
      assertThat(runtime.kafkaCheck().up()).isFalse();
    }
  }

  @Test
  void shouldBeReadyOnItsOwnChecksAndRefuseKafkaUseWithoutKafka() throws Exception {
    try (ServiceRuntime runtime = ServiceRuntime.withoutKafka("test", new ServiceRuntime.Endpoint("127.0.0.1", 0))) {
      runtime.health().ready(() -> HealthCheck.up("store", "reachable"));
      int port = runtime.started().healthPort();
      HttpResponse<String> ready = get(port, "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).doesNotContain("kafka");
      assertThat(get(port, "/metrics").body()).contains("jvm_memory_used_bytes").doesNotContain("kafka_");
      assertThatThrownBy(runtime::clients).isInstanceOf(IllegalStateException.class).hasMessageContaining("without Kafka");
      assertThatThrownBy(() -> runtime.requireTopics(List.of("t"))).isInstanceOf(IllegalStateException.class);
    }
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
