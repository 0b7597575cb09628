package dev.mediaflow.schemas.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HealthEndpointTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void shouldAnswerHealthByStateAndMetricsAsPrometheusText() throws Exception {
    // Given a service that is healthy at first
    AtomicBoolean healthy = new AtomicBoolean(true);
    try (HealthEndpoint endpoint = new HealthEndpoint("127.0.0.1", 0, healthy::get,
        () -> Map.of("mediaflow_test_items_total", 42L))) {
      // When / Then
      assertThat(get(endpoint, "/health").statusCode()).isEqualTo(200);
      assertThat(get(endpoint, "/metrics").body())
          .contains("# TYPE mediaflow_test_items_total counter\nmediaflow_test_items_total 42\n");
      healthy.set(false);
      assertThat(get(endpoint, "/health").statusCode()).isEqualTo(503);
    }
  }

  private HttpResponse<String> get(HealthEndpoint endpoint, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
