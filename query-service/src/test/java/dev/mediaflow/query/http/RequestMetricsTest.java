package dev.mediaflow.query.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestMetricsTest {

  @Test
  void shouldNameRoutesFromAFixedSetNeverFromProjectRunOrKeyNames() {
    String item = "/api/v1/projects/p/runs/r/keys/k/steps/3/items/0/";
    assertThat(RequestMetrics.route("/api/v1/projects")).isEqualTo("projects");
    assertThat(RequestMetrics.route("/api/v1/projects/p/runs")).isEqualTo("runs");
    assertThat(RequestMetrics.route("/api/v1/projects/p/runs/r")).isEqualTo("run");
    assertThat(RequestMetrics.route("/api/v1/projects/p/runs/r/keys")).isEqualTo("keys");
    assertThat(RequestMetrics.route("/api/v1/projects/p/runs/r/keys/k/histograms")).isEqualTo("histograms");
    assertThat(RequestMetrics.route("/api/v1/projects/p/runs/r/keys/k/secret-name")).isEqualTo("other");
    assertThat(RequestMetrics.route(item + "preview")).isEqualTo("preview");
    assertThat(RequestMetrics.route(item + "pointcloud.ply")).isEqualTo("pointcloud.ply");
    assertThat(RequestMetrics.route(item + "objects/image.png")).isEqualTo("objects");
    assertThat(RequestMetrics.route("/api/v1/session")).isEqualTo("session");
    assertThat(RequestMetrics.route("/health/ready")).isEqualTo("health");
    assertThat(RequestMetrics.route("/metrics")).isEqualTo("metrics");
    assertThat(RequestMetrics.route("/runs/p/r")).isEqualTo("static");
  }
}
