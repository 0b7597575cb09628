package dev.mediaflow.transform.pointcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PtsJsonReaderTest {

  /** The pts.json example of the reference documentation (boxes first, type last). */
  static final String REFERENCE_EXAMPLE = """
      {
        "boxes": [
          {
            "color": [0, 255, 0],
            "score": 0.35,
            "label": "My label",
            "corners": [
              [2589.695869075582, 760.7400443552185, -18.044831294622487],
              [2590.719039645323, 762.3871153874499, -18.044831294622487],
              [2590.719039645323, 762.3871153874499, -19.54083129462249],
              [2589.695869075582, 760.7400443552185, -19.54083129462249],
              [2594.9666662674313, 757.4657929961453, -18.044831294622487],
              [2595.9898368371723, 759.1128640283766, -18.044831294622487],
              [2595.9898368371723, 759.1128640283766, -19.54083129462249],
              [2594.9666662674313, 757.4657929961453, -19.54083129462249]
            ]
          }
        ],
        "points": [
          [2566.571924017235, 746.7817289698219, -15.269245470863748, 76.5, 127.5, 89.46617199365393],
          [2566.592983606823, 746.6791987335685, -15.275803826279521, 76.5, 127.5, 89.45471117247024],
          [2566.616361739416, 746.4903185513501, -15.28628929674075, 76.5, 127.5, 89.41336375503832]
        ],
        "type": "lidar/beta"
      }
      """;

  private static PointCloudScene read(String json) {
    return PtsJsonReader.read(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String scene(String boxes, String vectors) {
    return "{\"type\":\"lidar/beta\",\"points\":[[0,0,0]],\"boxes\":" + boxes + ",\"vectors\":" + vectors + "}";
  }

  private static String box(int corners, String color) {
    StringBuilder b = new StringBuilder("{\"corners\":[");
    for (int i = 0; i < corners; i++) {
      b.append(i > 0 ? "," : "").append("[").append(i).append(",0,1]");
    }
    return b.append("],\"color\":").append(color).append("}").toString();
  }

  /** The object with one more key. */
  private static String with(String object, String key, String value) {
    return object.substring(0, object.length() - 1) + ",\"" + key + "\":" + value + "}";
  }

  @Test
  void shouldParseTheReferenceExample() {
    // When
    PointCloudScene scene = read(REFERENCE_EXAMPLE);

    // Then
    assertThat(scene.type()).isEqualTo("lidar/beta");
    assertThat(scene.points().layout()).isEqualTo(PointCloud.Layout.XYZ_RGB);
    assertThat(scene.points().count()).isEqualTo(3);
    assertThat(scene.points().get(2, 2)).isEqualTo(-15.28628929674075);
    assertThat(scene.points().get(0, 5)).isEqualTo(89.46617199365393);
    assertThat(scene.boxes()).singleElement().satisfies(b -> {
      assertThat(b.color()).containsExactly(0, 255, 0);
      assertThat(b.label()).contains("My label");
      assertThat(b.score()).isEqualTo(OptionalDouble.of(0.35));
      assertThat(b.corner(4)).containsExactly(2594.9666662674313, 757.4657929961453, -18.044831294622487);
    });
    assertThat(scene.vectors()).isEmpty();
  }

  @Test
  void shouldParseTheBareListForm() {
    // When
    PointCloudScene scene = read("[[0.4, 1, 1.3, 1], [1.2, 1, 1.2, 12]]");

    // Then
    assertThat(scene.points()).isEqualTo(PointCloud.of(PointCloud.Layout.XYZ_CATEGORY, 0.4, 1, 1.3, 1, 1.2, 1, 1.2, 12));
    assertThat(scene.boxes()).isEmpty();
    assertThat(scene.vectors()).isEmpty();
  }

  @Test
  void shouldReadAJsonNodeLikeTheBytes() throws Exception {
    // Given
    String json = scene("[" + box(8, "[1,2,3]") + "]",
        "[{\"start\":[0,0,0],\"end\":[0.1,0.2,0.5],\"color\":[255,0,0]},{\"start\":[1,1,1],\"end\":[2,2,2]}]");
    JsonNode node = PointCloudFixtures.JSON.readTree(json);

    // When
    PointCloudScene fromNode = PtsJsonReader.read(node);
    PointCloudScene fromBytes = read(json);

    // Then
    assertThat(fromNode).isEqualTo(fromBytes);
    assertThat(fromNode.vectors()).hasSize(2);
    assertThat(fromNode.vectors().get(0).color()).hasValueSatisfying(c -> assertThat(c).containsExactly(255, 0, 0));
    assertThat(fromNode.vectors().get(1).color()).isEmpty();
    assertThat(fromNode.vectors().get(0).end()).containsExactly(0.1, 0.2, 0.5);
  }

  @Test
  void shouldRejectABoxWithSevenCornersNamingIt() {
    String json = scene("[" + box(8, "[1,2,3]") + "," + box(7, "[1,2,3]") + "]", "[]");
    assertThatThrownBy(() -> read(json))
        .isInstanceOf(PointCloudRejectedException.class)
        .hasMessage("box 1: corners must be exactly 8 points [x, y, z], got 7 points");
  }

  @Test
  void shouldRejectABoxWithNineCorners() {
    assertThatThrownBy(() -> read(scene("[" + box(9, "[1,2,3]") + "]", "[]")))
        .hasMessage("box 0: corners must be exactly 8 points [x, y, z], got 9 points");
  }

  @Test
  void shouldRejectABoxColourOf256() {
    assertThatThrownBy(() -> read(scene("[" + box(8, "[0,256,0]") + "]", "[]")))
        .isInstanceOf(PointCloudRejectedException.class)
        .hasMessage("box 0: color value 256 is outside [0, 255]");
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "\"lidar/alpha\";scene type must be 'lidar/beta', got 'lidar/alpha'",
      "\"LIDAR/BETA\";scene type must be 'lidar/beta', got 'LIDAR/BETA'",
      "3;scene type must be the string 'lidar/beta', got a number",
      "null;scene type must be the string 'lidar/beta', got null"})
  void shouldRejectSceneTypesOtherThanLidarBeta(String type, String reason) {
    assertThatThrownBy(() -> read("{\"type\":" + type + ",\"points\":[[0,0,0]],\"boxes\":[]}"))
        .isInstanceOf(PointCloudRejectedException.class)
        .hasMessage(reason);
  }

  @Test
  void shouldRejectASceneWithoutType() {
    assertThatThrownBy(() -> read("{\"points\":[[0,0,0]],\"boxes\":[]}"))
        .hasMessage("scene type must be 'lidar/beta', got none");
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "[[0,0,0],[1,1,1,1]];'point 1 has 4 values but point 0 has 3; all points need the same columns'",
      "[[0,0,0,0,0]];point cloud must be n×3, n×4 or n×6, got point 0 with 5 values",
      "[[0,0,0,0,0,0,0]];point cloud must be n×3, n×4 or n×6, got point 0 with more than 6 values",
      "[[0,0,0],[0,\"1\",0]];point 1, value 1 is not a number but a string",
      "[[0,0,0],5];point 1 must be a list of numbers, got a number",
      "[[0,0,0],[0,0,1e400]];point 1 has a non-finite coordinate: z = Infinity",
      "[[0,0,0,300,0,0]];'point 0 has colour r = 300; colours are in [0, 255]'",
      "{\"type\":\"lidar/beta\"};scene has no points",
      "{\"type\":\"lidar/beta\",\"points\":{}};points must be a list of points, got an object",
      "\"points\";pts.json must be a list of points or an object with type, points, boxes and vectors",
      "[[0,0,0]] [];pts.json has content after its top-level value"})
  void shouldRejectBadPointsWithAReasonNamingThem(String json, String reason) {
    assertThatThrownBy(() -> read(json))
        .isInstanceOf(PointCloudRejectedException.class)
        .hasMessage(reason);
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "[{\"corners\":[],\"color\":[0,0,0]}];box 0: corners must be exactly 8 points [x, y, z], got 0 points",
      "[{\"color\":[0,0,0]}];box 0: corners missing",
      "[BOX8_NO_COLOR];box 0: color missing",
      "[BOX8,{\"corners\":[[0,0]]}];box 1: corner 0 must be [x, y, z], got 2 values",
      "[BOX8_LABEL_3];box 0: label must be a string, got a number",
      "[BOX8_SCORE_TEXT];box 0: score must be a number, got a string",
      "[[1,2]];box 0: must be an object with corners and color, got a list",
      "{};boxes must be a list, got an object"})
  void shouldRejectBadBoxesNamingTheBox(String boxes, String reason) {
    String box8 = box(8, "[1,2,3]");
    String json = scene(boxes
        .replace("BOX8_NO_COLOR", box8.replace(",\"color\":[1,2,3]", ""))
        .replace("BOX8_LABEL_3", with(box8, "label", "3"))
        .replace("BOX8_SCORE_TEXT", with(box8, "score", "\"high\""))
        .replace("BOX8", box8), "[]");
    assertThatThrownBy(() -> read(json))
        .isInstanceOf(PointCloudRejectedException.class)
        .hasMessage(reason);
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "[{\"start\":[0,0],\"end\":[1,1,1]}];vector 0: start must be [x, y, z], got 2 values",
      "[{\"start\":[0,0,0],\"end\":[1,1,1]},{\"start\":[0,0,0]}];vector 1: end missing",
      "[{\"start\":[0,0,0],\"end\":[1,1,1],\"color\":[0,0,999]}];vector 0: color value 999 is outside [0, 255]",
      "[{\"start\":[0,0,0],\"end\":[1,1,1],\"color\":[0,0]}];vector 0: color must be [r, g, b], got 2 values"})
  void shouldRejectBadVectorsNamingTheVector(String vectors, String reason) {
    assertThatThrownBy(() -> read(scene("[]", vectors)))
        .isInstanceOf(PointCloudRejectedException.class)
        .hasMessage(reason);
  }

  @Test
  void shouldRejectInvalidJson() {
    assertThatThrownBy(() -> read("{\"type\":\"lidar/beta\",\"points\":[[0,0,NaN]]}"))
        .isInstanceOf(PointCloudRejectedException.class)
        .hasMessageStartingWith("pts.json is not valid JSON: ");
  }

  @Test
  void shouldTreatAbsentOrNullOptionalPartsAsAbsent() {
    // Given boxes and vectors missing or null, label and score null, an unknown key
    String box = with(with(with(box(8, "[1,2,3]"), "label", "null"), "score", "null"), "extra", "{\"a\":[1]}");

    // When
    PointCloudScene noBoxes = read("{\"type\":\"lidar/beta\",\"points\":[]}");
    PointCloudScene nulls = read("{\"type\":\"lidar/beta\",\"points\":[[1,2,3]],\"boxes\":[" + box
        + "],\"vectors\":null,\"note\":\"hi\"}");

    // Then
    assertThat(noBoxes.boxes()).isEmpty();
    assertThat(noBoxes.points().isEmpty()).isTrue();
    assertThat(noBoxes.points().layout()).isEqualTo(PointCloud.Layout.XYZ);
    assertThat(nulls.boxes()).singleElement().satisfies(b -> {
      assertThat(b.label()).isEqualTo(Optional.empty());
      assertThat(b.score()).isEmpty();
    });
    assertThat(nulls.vectors()).isEmpty();
  }
}
