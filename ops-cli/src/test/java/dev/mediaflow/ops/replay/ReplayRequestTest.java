package dev.mediaflow.ops.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.ops.OpsSettings;
import dev.mediaflow.sink.SinkConfig;
import dev.mediaflow.transform.TransformConfig;
import dev.mediaflow.transform.topology.TransformTopology.ItemFilter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayRequestTest {
  static final OpsSettings SETTINGS = new OpsSettings(
      Map.of(TransformConfig.BOOTSTRAP_SERVERS, "k:9092", TransformConfig.SCHEMA_REGISTRY_URL, "http://r",
          TransformConfig.FILTER_PROJECT, "left-over"),
      Map.of(SinkConfig.JDBC_URL, "jdbc:sqlite:data/metadata.db", SinkConfig.S3_BUCKET, "mediaflow"));

  @Test
  void shouldNameGroupsAndTopicsAfterTheReplay() {
    // Given
    ReplayRequest request = new ReplayRequest("a1", null, new ItemFilter("p", null),
        new ReplayTarget.NewTarget("replays", null, "jdbc:sqlite:a.db", null));

    // When
    Map<String, String> transform = request.transformSettings(SETTINGS);
    Map<String, String> sink = request.sinkSettings(SETTINGS);

    // Then
    assertThat(transform).containsEntry(TransformConfig.APPLICATION_ID, "mediaflow-replay-a1")
        .containsEntry(TransformConfig.OUTPUT_TOPIC_NAMESPACE, "replay-a1.")
        .containsEntry(TransformConfig.FILTER_PROJECT, "p")
        .doesNotContainKey(TransformConfig.FILTER_RUN);
    assertThat(new TransformConfig(transform).outputNamespace()).isEqualTo("replay-a1.");
    assertThat(new TransformConfig(transform).inputNamespace()).isEmpty();
    assertThat(sink).containsEntry(SinkConfig.GROUP_ID, "mediaflow-replay-a1-sink")
        .containsEntry(SinkConfig.TOPIC_NAMESPACE, "replay-a1.")
        .containsEntry(SinkConfig.S3_BUCKET, "replays")
        .containsEntry(SinkConfig.S3_PREFIX, "media")
        .containsEntry(SinkConfig.JDBC_URL, "jdbc:sqlite:a.db");
  }

  @Test
  void shouldWriteTheRegularTopicsInPlace() {
    ReplayRequest request = new ReplayRequest("b", null, ItemFilter.ALL, new ReplayTarget.InPlace());

    assertThat(new TransformConfig(request.transformSettings(SETTINGS)).outputNamespace()).isEmpty();
    assertThat(new TransformConfig(request.transformSettings(SETTINGS)).itemFilter()).isEqualTo(ItemFilter.ALL);
  }

  @Test
  void shouldRefuseANewTargetOnTopOfTheRegularObjectsOrRows() {
    assertThatThrownBy(() -> new ReplayRequest("c", null, ItemFilter.ALL,
        new ReplayTarget.NewTarget(null, "/media/", "jdbc:sqlite:other.db", null)).sinkSettings(SETTINGS))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("objects");
    assertThatThrownBy(() -> new ReplayRequest("c", null, ItemFilter.ALL,
        new ReplayTarget.NewTarget(null, "replay-c", "jdbc:sqlite:./data/../data/metadata.db", null))
        .sinkSettings(SETTINGS))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rows");
  }

  @Test
  void shouldRefuseNamesThatCannotNameTopics() {
    assertThatThrownBy(() -> new ReplayRequest("a.b", null, ItemFilter.ALL, new ReplayTarget.InPlace()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ItemFilter(null, "r")).isInstanceOf(IllegalArgumentException.class);
  }
}
