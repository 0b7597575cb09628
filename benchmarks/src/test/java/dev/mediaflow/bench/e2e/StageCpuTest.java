package dev.mediaflow.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-stage CPU table: thread attribution and the kernel / non-kernel arithmetic. */
class StageCpuTest {

  @Test
  void shouldAttributeThreadsToTheStageThatNamesThem() {
    assertThat(StageCpu.stage("mediaflow-transform-3f2a-StreamThread-1")).isEqualTo(StageCpu.TRANSFORM);
    assertThat(StageCpu.stage("kafka-producer-network-thread | mediaflow-transform-3f2a-StreamThread-1-producer"))
        .isEqualTo(StageCpu.TRANSFORM);
    assertThat(StageCpu.stage("kafka-coordinator-heartbeat-thread | mediaflow-transform")).isEqualTo(StageCpu.TRANSFORM);
    assertThat(StageCpu.stage("sink-loop")).isEqualTo(StageCpu.SINK);
    assertThat(StageCpu.stage("sink-writer-3")).isEqualTo(StageCpu.SINK);
    assertThat(StageCpu.stage("kafka-coordinator-heartbeat-thread | mediaflow-sink")).isEqualTo(StageCpu.SINK);
    assertThat(StageCpu.stage("ingest-http-17")).isEqualTo(StageCpu.GATEWAY);
    assertThat(StageCpu.stage("kafka-producer-network-thread | producer-1")).isEqualTo(StageCpu.GATEWAY);
    assertThat(StageCpu.stage("qtp1234567-42")).isEqualTo(StageCpu.S3);
    assertThat(StageCpu.stage("C2 CompilerThread0")).isEqualTo(StageCpu.JVM_SHARED);
    assertThat(StageCpu.stage("G1 Conc#0")).isEqualTo(StageCpu.JVM_SHARED);
    assertThat(StageCpu.stage("media-peak-1x-client-2")).isEqualTo(StageCpu.LOAD);
    assertThat(StageCpu.stage("something-else")).isNull();
  }

  @Test
  void shouldSplitKernelTimeFromTheRestPerItemAndOverTheWholePipeline() {
    // Given 100 items: transform 2.0 s of which kernels 1.5 s, gateway 0.5, sink 0.5, broker 0.6,
    // S3 0.3, registry 0.1, GC/JIT 0.5 (whole 4.5 s), load generator 0.7 (outside)
    Map<String, Double> stages = new LinkedHashMap<>();
    stages.put(StageCpu.GATEWAY, 0.5);
    stages.put(StageCpu.TRANSFORM, 2.0);
    stages.put(StageCpu.SINK, 0.5);
    stages.put(StageCpu.BROKER, 0.6);
    stages.put(StageCpu.S3, 0.3);
    stages.put(StageCpu.REGISTRY, 0.1);
    stages.put(StageCpu.JVM_SHARED, 0.5);
    stages.put(StageCpu.LOAD, 0.7);
    StageCpu.Window w = new StageCpu.Window(10, 100, stages, Map.of("png", 1.0, "normalize", 0.5), Map.of());

    // Then the shares count all pipeline processes (not the load generator), or the three services
    assertThat(w.kernelSeconds()).isEqualTo(1.5);
    assertThat(w.cpu(StageCpu.PIPELINE)).isCloseTo(4.5, within(1e-9));
    assertThat(w.nonKernelShare(StageCpu.PIPELINE)).isCloseTo(3.0 / 4.5, within(1e-9));
    assertThat(w.nonKernelShare(StageCpu.SERVICES)).isCloseTo(1.5 / 3.0, within(1e-9));
    String table = w.table();
    // transform: 20 ms/item, 15 kernel, 5 non-kernel, 44 % of 4.5 s, 0.20 cores
    assertThat(table).contains("| transform | 20.00 | 15.00 | 5.00 | 44 % | 0.20 |");
    assertThat(table).contains("| broker (Kafka) | 6.00 | 0.00 | 6.00 | 13 % | 0.06 |");
    assertThat(table).contains("| **whole pipeline** | 45.00 | 15.00 | 30.00 | 100 % | 0.45 |");
    assertThat(table).contains("| (outside: load generator) | 7.00 |");
    assertThat(table).contains(
        "non-kernel share ≤ 30 % (whole pipeline, incl. broker, S3 endpoint, registry and GC/JIT): 67 % → **no**");
    assertThat(table).contains("non-kernel share ≤ 30 % (stages only (gateway + transform + sink)): 50 % → **no**");
  }
}
