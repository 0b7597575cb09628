package dev.mediaflow.transform.pointcloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PtsJsonWriterTest {

  private static final double[] CORNERS = {
      2601.2765123137915, 767.5669506323393, -17.816764802288663,
      2599.7259021588347, 769.0082337923552, -17.816764802288663,
      2599.7259021588347, 769.0082337923552, -19.66876480228866,
      2601.2765123137915, 767.5669506323393, -19.66876480228866,
      2604.8684867834395, 771.4313904894723, -17.816764802288663,
      2603.3178766284827, 772.8726736494882, -17.816764802288663,
      2603.3178766284827, 772.8726736494882, -19.66876480228866,
      2604.8684867834395, 771.4313904894723, -19.66876480228866};

  /** The reference's from_point_cloud example: one box with label and score, one vector. */
  private static PointCloudScene referenceScene() {
    PointCloud points = PointCloud.of(PointCloud.Layout.XYZ_RGB,
        2566.571924017235, 746.7817289698219, -15.269245470863748, 76.5, 127.5, 89.46617199365393,
        2566.592983606823, 746.6791987335685, -15.275803826279521, 76.5, 127.5, 89.45471117247024);
    PointCloudScene.Box box = new PointCloudScene.Box(CORNERS, new double[] {0, 0, 255},
        Optional.of("car"), OptionalDouble.of(0.6));
    PointCloudScene.Vector vector = new PointCloudScene.Vector(new double[] {0, 0, 0},
        new double[] {0.1, 0.2, 0.5}, Optional.of(new double[] {255, 0, 0}));
    return new PointCloudScene(PointCloudScene.LIDAR_BETA, points, List.of(box), List.of(vector));
  }

  private static String text(byte[] json) {
    return new String(json, StandardCharsets.UTF_8);
  }

  @Test
  void shouldWriteTheCompactObjectFormWithTypeFirst() {
    // When
    String json = text(PtsJsonWriter.write(referenceScene()));

    // Then
    assertThat(json).isEqualTo("{\"type\":\"lidar/beta\",\"points\":["
        + "[2566.571924017235,746.7817289698219,-15.269245470863748,76.5,127.5,89.46617199365393],"
        + "[2566.592983606823,746.6791987335685,-15.275803826279521,76.5,127.5,89.45471117247024]],"
        + "\"boxes\":[{\"corners\":["
        + "[2601.2765123137915,767.5669506323393,-17.816764802288663],"
        + "[2599.7259021588347,769.0082337923552,-17.816764802288663],"
        + "[2599.7259021588347,769.0082337923552,-19.66876480228866],"
        + "[2601.2765123137915,767.5669506323393,-19.66876480228866],"
        + "[2604.8684867834395,771.4313904894723,-17.816764802288663],"
        + "[2603.3178766284827,772.8726736494882,-17.816764802288663],"
        + "[2603.3178766284827,772.8726736494882,-19.66876480228866],"
        + "[2604.8684867834395,771.4313904894723,-19.66876480228866]],"
        + "\"color\":[0,0,255],\"label\":\"car\",\"score\":0.6}],"
        + "\"vectors\":[{\"start\":[0,0,0],\"end\":[0.1,0.2,0.5],\"color\":[255,0,0]}]}");
  }

  @Test
  void shouldRoundTripAScene() {
    // Given
    PointCloudScene scene = referenceScene();

    // When
    PointCloudScene back = PtsJsonReader.read(PtsJsonWriter.write(scene));

    // Then
    assertThat(back).isEqualTo(scene);
  }

  @Test
  void shouldRoundTripFloat64CloudsExactly() {
    // Given doubles of every magnitude
    SplittableRandom random = new SplittableRandom(11);
    double[] v = new double[3 * 20_000];
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextGaussian() * Math.pow(10, random.nextInt(-30, 30));
    }
    PointCloud cloud = PointCloud.of(PointCloud.Layout.XYZ, v);

    // When
    PointCloudScene back = PtsJsonReader.read(PtsJsonWriter.write(cloud));

    // Then
    assertThat(back.points()).isEqualTo(cloud);
  }

  @Test
  void shouldWriteFloat32ValuesWithFloat32DigitsThatReadBackToTheSameFloats() {
    // Given a float32 cloud (as a float32 array arrives)
    SplittableRandom random = new SplittableRandom(12);
    double[] v = new double[3 * 20_000];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (random.nextGaussian() * 100);
    }
    PointCloud cloud = PointCloud.of(PointCloud.Layout.XYZ, v);

    // When
    byte[] json = PtsJsonWriter.write(cloud);
    PointCloud back = PtsJsonReader.read(json).points();

    // Then
    double[] read = back.toArray();
    for (int i = 0; i < v.length; i++) {
      if ((float) read[i] != (float) v[i]) {
        throw new AssertionError("value " + i + ": " + read[i] + " is not the float " + v[i]);
      }
    }
    assertThat(text(PtsJsonWriter.write(back))).as("stable after one trip").isEqualTo(text(json));
    assertThat(text(PtsJsonWriter.write(PointCloud.of(PointCloud.Layout.XYZ, (double) 0.1f, 1.3f, -2566.5718f))))
        .contains("[[0.1,1.3,-2566.5718]]");
  }

  @Test
  void shouldBeReadByJacksonAsTheSameNumbers() throws Exception {
    // Given
    PointCloudScene scene = referenceScene();

    // When
    JsonNode node = PointCloudFixtures.JSON.readTree(PtsJsonWriter.write(scene));

    // Then
    assertThat(node.get("type").asText()).isEqualTo("lidar/beta");
    assertThat(node.get("points").get(1).get(5).asDouble()).isEqualTo(89.45471117247024);
    assertThat(node.get("boxes").get(0).get("color").get(2).asInt()).isEqualTo(255);
    assertThat(node.get("vectors").get(0).get("end").get(1).asDouble()).isEqualTo(0.2);
  }

  @Test
  void shouldWriteEmptyBoxesAndVectorsForABareCloud() {
    // When
    String json = text(PtsJsonWriter.write(PointCloud.of(PointCloud.Layout.XYZ_CATEGORY, 1, 2, 3, 14)));

    // Then
    assertThat(json).isEqualTo("{\"type\":\"lidar/beta\",\"points\":[[1,2,3,14]],\"boxes\":[],\"vectors\":[]}");
  }

  @Test
  void shouldEscapeLabels() throws Exception {
    // Given
    String label = "a \"quoted\" \\ label\nwith\ttabs, \u0001 and ünïcödé 🚗";
    PointCloudScene scene = new PointCloudScene(PointCloudScene.LIDAR_BETA,
        PointCloud.of(PointCloud.Layout.XYZ), List.of(new PointCloudScene.Box(CORNERS,
            new double[] {1, 2, 3}, Optional.of(label), OptionalDouble.empty())), List.of());

    // When
    byte[] json = PtsJsonWriter.write(scene);

    // Then
    assertThat(text(json)).contains("\"label\":\"a \\\"quoted\\\" \\\\ label\\nwith\\ttabs, \\u0001 and ünïcödé 🚗\"");
    assertThat(PointCloudFixtures.JSON.readTree(json).get("boxes").get(0).get("label").asText()).isEqualTo(label);
    assertThat(PtsJsonReader.read(json).boxes().get(0).label()).contains(label);
  }

  @Test
  void shouldGrowPastItsFirstEstimate() {
    // Given doubles needing ~20 bytes each, more than the ~11 estimated
    double[] v = new double[3 * 10_000];
    for (int i = 0; i < v.length; i++) {
      v[i] = -Math.PI * 1e-10 * (i + 1);
    }
    PointCloud cloud = PointCloud.of(PointCloud.Layout.XYZ, v);

    // When
    PointCloud back = PtsJsonReader.read(PtsJsonWriter.write(cloud)).points();

    // Then
    assertThat(back).isEqualTo(cloud);
  }
}
