package dev.mediaflow.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The query service's {@code /metrics}: strict Prometheus text with JVM meters and the query counters. */
class QueryMetricsTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void shouldServeMetricsCountingRequestsByRouteAndStatusClass(@TempDir Path dir) throws Exception {
    // Given a query service on an empty SQLite store (no S3 is reached: nothing is stored)
    QueryConfig config = new QueryConfig(Map.of(QueryConfig.JDBC_URL, "jdbc:sqlite:" + dir.resolve("meta.db"),
        QueryConfig.HTTP_PORT, "0", QueryConfig.AUTH_ENABLED, "false", QueryConfig.S3_ENDPOINT, "http://127.0.0.1:9",
        QueryConfig.S3_ACCESS_KEY, "a", QueryConfig.S3_SECRET_KEY, "b"));
    try (QueryService service = new QueryService(config).start()) {
      int port = service.httpPort();
      // When two API calls succeed, one is refused, and /metrics is scraped
      assertThat(get(port, "/api/v1/projects").statusCode()).isEqualTo(200);
      assertThat(get(port, "/api/v1/projects").statusCode()).isEqualTo(200);
      assertThat(get(port, "/api/v1/projects/p/runs/r/keys/k/items?limit=-1").statusCode()).isEqualTo(400);
      assertThat(get(port, "/health/ready").statusCode()).isEqualTo(200);
      HttpResponse<String> scrape = get(port, "/metrics");

      // Then it parses strictly and holds JVM meters, the request counters and the cache meters
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
      PrometheusText metrics = PrometheusText.parse(scrape.body());
      assertThat(metrics.has("jvm_memory_used_bytes")).isTrue();
      assertThat(metrics.has("process_uptime_seconds")).isTrue();
      assertThat(metrics.types).containsEntry("mediaflow_query_requests_total", "counter")
          .containsEntry("mediaflow_query_bytes_streamed_total", "counter")
          .containsEntry("mediaflow_query_preview_cache_hits_total", "counter")
          .containsEntry("mediaflow_query_preview_cache_misses_total", "counter")
          .containsEntry("mediaflow_query_preview_cache_bytes", "gauge");
      assertThat(metrics.value("mediaflow_query_preview_cache_hits_total")).isZero();
      assertThat(metrics.value("mediaflow_query_bytes_streamed_total")).isZero();
      assertThat(scrape.body())
          .containsPattern("mediaflow_query_requests_total\\{route=\"projects\",status=\"2xx\",?\\} 2\\.0")
          .containsPattern("mediaflow_query_requests_total\\{route=\"items\",status=\"4xx\",?\\} 1\\.0")
          .containsPattern("mediaflow_query_requests_total\\{route=\"health\",status=\"2xx\",?\\} 1\\.0");
    }
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
