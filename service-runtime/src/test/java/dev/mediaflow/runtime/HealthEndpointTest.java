package dev.mediaflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HealthEndpointTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void shouldAnswerHealthByStateAndMetricsAsPrometheusText() throws Exception {
    // Given a service that is healthy at first
    AtomicBoolean healthy = new AtomicBoolean(true);
    Health health = new Health().live(() -> new HealthCheck("loop", healthy.get(), "running"));
    try (Metrics metrics = new Metrics()) {
      metrics.counter("mediaflow.test.items", "items handled", () -> 42L);
      try (HealthEndpoint endpoint = new HealthEndpoint("127.0.0.1", 0, health, metrics::scrape)) {
        // When / Then
        assertThat(get(endpoint, "/health").statusCode()).isEqualTo(200);
        HttpResponse<String> scrape = get(endpoint, "/metrics");
        assertThat(scrape.headers().firstValue("Content-Type")).hasValue(Metrics.CONTENT_TYPE);
        assertThat(scrape.body())
            .contains("# TYPE mediaflow_test_items_total counter\n")
            .contains("\nmediaflow_test_items_total 42.0\n");
        healthy.set(false);
        assertThat(get(endpoint, "/health").statusCode()).isEqualTo(503);
      }
    }
  }

  @Test
  void shouldStayLiveButTurnUnreadyWhenOnlyAReadinessCheckFails() throws Exception {
    // Given a running loop and a dependency that goes away
    AtomicBoolean kafka = new AtomicBoolean(true);
    Health health = new Health()
        .live(() -> HealthCheck.up("loop", "running"))
        .ready(() -> new HealthCheck("kafka", kafka.get(), kafka.get() ? "answered" : "no answer for 3000 ms"));
    try (HealthEndpoint endpoint = new HealthEndpoint("127.0.0.1", 0, health, () -> "")) {
      // When the dependency fails
      kafka.set(false);

      // Then readiness (and /health) say DOWN with the failing check's reason, liveness stays UP
      HttpResponse<String> ready = get(endpoint, "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("\"status\":\"DOWN\"")
          .contains("\"kafka\":{\"status\":\"DOWN\",\"detail\":\"no answer for 3000 ms\"}")
          .contains("\"loop\":{\"status\":\"UP\"");
      assertThat(get(endpoint, "/health").statusCode()).isEqualTo(503);
      HttpResponse<String> live = get(endpoint, "/health/live");
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(live.body()).doesNotContain("kafka");

      // and readiness is UP again once it returns
      kafka.set(true);
      assertThat(get(endpoint, "/health/ready").statusCode()).isEqualTo(200);
    }
  }

  private HttpResponse<String> get(HealthEndpoint endpoint, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
