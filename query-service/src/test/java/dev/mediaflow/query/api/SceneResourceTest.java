package dev.mediaflow.query.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SceneResourceTest {

  @Test
  void shouldKeepBoxesAndVectorsAndDropThePoints() throws Exception {
    String pts = "{\"type\": \"lidar/beta\", \"points\": [[0,0,0],[1,1,1,2]], \"boxes\": [{\"corners\": [[0,0,0]],"
        + " \"label\": \"car\", \"color\": [255,0,0]}], \"vectors\": [{\"start\": [0,0,0], \"end\": [1,0,0]}]}";
    ObjectNode scene = SceneResource.withoutPoints(pts.getBytes(StandardCharsets.UTF_8));
    assertThat(scene.has("points")).isFalse();
    assertThat(scene.get("type").asText()).isEqualTo("lidar/beta");
    assertThat(scene.get("boxes").get(0).get("label").asText()).isEqualTo("car");
    assertThat(scene.get("vectors")).hasSize(1);
  }

  @Test
  void shouldGiveEmptyBoxesAndVectorsForAPlainCloud() throws Exception {
    ObjectNode scene = SceneResource.withoutPoints("{\"type\": \"lidar/beta\", \"points\": [[0,0,0]]}"
        .getBytes(StandardCharsets.UTF_8));
    assertThat(scene.get("boxes")).isEmpty();
    assertThat(scene.get("vectors")).isEmpty();
  }
}
