package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediaflow.sink.SinkConfig;
import dev.mediaflow.sink.SinkService;
import dev.mediaflow.transform.TransformConfig;
import dev.mediaflow.transform.TransformService;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of the three running services on the embedded stack, after an item went
 * through: Prometheus text that parses, with JVM, Kafka client (and Streams) meters and each
 * service's own counters.
 */
class ServiceMetricsIT extends PipelineTestBase {
  private static final List<String> JVM = List.of("jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads",
      "jvm_classes_loaded_classes", "system_cpu_count", "process_uptime_seconds");

  @TempDir
  static Path dataDir;

  static SinkService sink;
  static TransformService transform;

  @BeforeAll
  static void start() throws Exception {
    startStack(dataDir, null);
    // our own transform and sink instances, so the test holds their health ports
    stack.stopServicesGracefully();
    sink = new SinkService(new SinkConfig(stack.sinkSettings())).start();
    transform = new TransformService(new TransformConfig(stack.transformSettings())).start();
  }

  @AfterAll
  static void stopServices() {
    if (transform != null) {
      transform.close();
    }
    if (sink != null) {
      sink.close();
    }
  }

  @Test
  void shouldServeJvmKafkaAndServiceMetricsAsPrometheusTextFromEveryService() throws Exception {
    // Given one item logged through the gateway and stored
    ObjectNode log = JSON.createObjectNode().put("step", 1);
    log.putObject("data").putObject("page").put("_type", "html").put("html", "<p>metrics</p>");
    post("metrics", log, Map.of());
    awaitRows("metrics", 1);

    // When each service's /metrics is scraped, Then it parses and holds JVM, Kafka and its own meters
    PrometheusText ingest = scrape(stack.gatewayUrl());
    assertJvm(ingest);
    assertThat(ingest.has("kafka_producer_")).as("the item producer's metrics").isTrue();
    assertThat(ingest.has("kafka_admin_client_")).as("the health probe's metrics").isTrue();
    assertThat(ingest.value("mediaflow_ingest_items_accepted_total")).isGreaterThanOrEqualTo(1);
    assertThat(ingest.value("mediaflow_ingest_requests_total")).isGreaterThanOrEqualTo(1);
    assertThat(ingest.value("mediaflow_ingest_items_rejected_total")).isZero();
    assertThat(ingest.value("mediaflow_ingest_memory_budget_bytes")).isPositive();
    assertThat(ingest.types).containsEntry("mediaflow_ingest_items_accepted_total", "counter");

    PrometheusText transformed = scrape("http://127.0.0.1:" + transform.healthPort());
    assertJvm(transformed);
    assertThat(transformed.has("kafka_stream_")).as("Kafka Streams metrics").isTrue();
    assertThat(transformed.has("kafka_consumer_")).as("the Streams consumer's metrics").isTrue();
    assertThat(transformed.has("kafka_producer_")).as("the Streams producer's metrics").isTrue();
    assertThat(transformed.value("mediaflow_transform_items_transformed_total")).isGreaterThanOrEqualTo(1);
    assertThat(transformed.value("mediaflow_transform_items_dead_lettered_total")).isZero();
    // CPU inside the media kernels, one series per kernel; the html item ran its kernel in this JVM
    assertThat(transformed.types).containsEntry("mediaflow_transform_kernel_cpu_seconds_total", "counter");
    assertThat(transformed.labelled.keySet().stream().filter(k -> k.startsWith("mediaflow_transform_kernel_cpu_")))
        .anyMatch(k -> k.contains("kernel=\"normalize\"")).anyMatch(k -> k.contains("kernel=\"png\""))
        .anyMatch(k -> k.contains("kernel=\"histogram\""));
    assertThat(transformed.labelled.entrySet()).anySatisfy(e -> {
      assertThat(e.getKey()).startsWith("mediaflow_transform_kernel_cpu_seconds_total").contains("kernel=\"html\"");
      assertThat(e.getValue()).isPositive();
    });

    PrometheusText stored = scrape("http://127.0.0.1:" + sink.healthPort());
    assertJvm(stored);
    assertThat(stored.has("kafka_consumer_")).as("the sink consumer's metrics").isTrue();
    assertThat(stored.has("kafka_producer_")).as("the dead-letter producer's metrics").isTrue();
    assertThat(stored.value("mediaflow_sink_items_stored_total")).isGreaterThanOrEqualTo(1);
    assertThat(stored.value("mediaflow_sink_partitions_waiting")).isZero();
    assertThat(stored.types).containsEntry("mediaflow_sink_partitions_waiting", "gauge");
  }

  private static void assertJvm(PrometheusText metrics) {
    for (String prefix : JVM) {
      assertThat(metrics.has(prefix)).as("JVM meter %s", prefix).isTrue();
    }
  }

  private static PrometheusText scrape(String base) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
        assertThat(type).startsWith("text/plain; version=0.0.4"));
    return PrometheusText.parse(response.body());
  }
}
