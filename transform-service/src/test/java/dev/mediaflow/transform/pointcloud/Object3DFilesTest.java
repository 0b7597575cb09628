package dev.mediaflow.transform.pointcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Object3DFilesTest {

  @ParameterizedTest
  @CsvSource({
      "sample.obj, obj", "sample.gltf, gltf", "sample.glb, glb", "scene.babylon, babylon",
      "part.stl, stl", "my_point_cloud.pts.json, pts.json", "SCAN.OBJ, obj", "Frame_07.PTS.JSON, pts.json",
      "dir/sub/model.v2.Glb, glb", "a.b.stl, stl"})
  void shouldTellTheTypeFromTheNamesEnding(String name, String extension) {
    // When
    Object3DFileType type = Object3DFiles.typeOf(name);

    // Then
    assertThat(type.extension()).isEqualTo(extension);
    assertThat(type.isPointCloud()).isEqualTo(extension.equals("pts.json"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"cloud.json", "pts.json", "cloud.ply", "model.fbx", "obj", "model.obj.zip", "cloud_pts.json", ""})
  void shouldRejectEveryOtherEnding(String name) {
    assertThatThrownBy(() -> Object3DFiles.typeOf(name))
        .isInstanceOf(PointCloudRejectedException.class)
        .hasMessage("unsupported 3D file type '" + name + "' (supported: obj, gltf, glb, babylon, stl, pts.json)");
  }

  @Test
  void shouldRejectAMissingName() {
    assertThatThrownBy(() -> Object3DFiles.typeOf(null))
        .isInstanceOf(PointCloudRejectedException.class)
        .hasMessageStartingWith("unsupported 3D file type (no file name)");
  }

  @Test
  void shouldGiveContentTypes() {
    assertThat(Object3DFileType.GLB.contentType()).isEqualTo("model/gltf-binary");
    assertThat(Object3DFileType.PTS_JSON.contentType()).isEqualTo("application/json");
  }

  @Test
  void shouldParseAPtsJsonFileSoItCanBeTruncatedAndWrittenAsPly() {
    // Given
    byte[] file = PtsJsonReaderTest.REFERENCE_EXAMPLE.getBytes(StandardCharsets.UTF_8);

    // When
    PointCloudScene scene = Object3DFiles.readPointCloud("drive_0001.pts.json", file);
    TruncatedPointCloud kept = new TruncationPolicy(2, TruncationStrategy.STRIDED).apply(scene.points());
    PointCloud back = PlyReader.read(PlyWriter.write(kept));

    // Then
    assertThat(kept.originalCount()).isEqualTo(3);
    assertThat(back.count()).isEqualTo(2);
    assertThat(back.get(1, 0)).isEqualTo(2566.592983606823);
    assertThat(scene.withPoints(kept.cloud()).boxes()).hasSize(1);
  }

  @Test
  void shouldNotParseMeshFilesAsPointClouds() {
    assertThatThrownBy(() -> Object3DFiles.readPointCloud("car.glb", new byte[4]))
        .isInstanceOf(PointCloudRejectedException.class)
        .hasMessage("'car.glb' is a glb file, not a point cloud (only pts.json files hold one)");
  }
}
