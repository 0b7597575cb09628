package dev.mediaflow.transform.pointcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PlyWriterTest {

  private static String header(byte[] ply) {
    String text = new String(ply, StandardCharsets.ISO_8859_1);
    return text.substring(0, text.indexOf("end_header\n") + "end_header\n".length());
  }

  @Test
  void shouldWriteFloatCoordinatesAndUcharColoursForFloat32Clouds() {
    // Given
    PointCloud cloud = PointCloud.of(PointCloud.Layout.XYZ_RGB, 0.5, -1.25, 3, 255, 0, 128);

    // When
    byte[] ply = PlyWriter.write(cloud);

    // Then
    String header = header(ply);
    assertThat(header).isEqualTo("ply\nformat binary_little_endian 1.0\nelement vertex 1\n"
        + "property float x\nproperty float y\nproperty float z\n"
        + "property uchar red\nproperty uchar green\nproperty uchar blue\nend_header\n");
    ByteBuffer body = ByteBuffer.wrap(ply, header.length(), ply.length - header.length())
        .slice().order(ByteOrder.LITTLE_ENDIAN);
    assertThat(body.remaining()).isEqualTo(15);
    assertThat(body.getFloat(0)).isEqualTo(0.5f);
    assertThat(body.getFloat(4)).isEqualTo(-1.25f);
    assertThat(body.getFloat(8)).isEqualTo(3f);
    assertThat(new int[] {body.get(12) & 0xFF, body.get(13) & 0xFF, body.get(14) & 0xFF})
        .containsExactly(255, 0, 128);
  }

  @Test
  void shouldWriteCategoryAsUcharProperty() {
    // Given
    PointCloud cloud = PointCloud.of(PointCloud.Layout.XYZ_CATEGORY, 1, 2, 3, 14, 4, 5, 6, 1);

    // When
    byte[] ply = PlyWriter.write(cloud);

    // Then
    assertThat(header(ply)).isEqualTo("ply\nformat binary_little_endian 1.0\nelement vertex 2\n"
        + "property float x\nproperty float y\nproperty float z\nproperty uchar category\nend_header\n");
    assertThat(ply.length - header(ply).length()).isEqualTo(2 * 13);
    assertThat(PlyReader.read(ply)).isEqualTo(cloud);
  }

  @Test
  void shouldUseDoublesWhenFloat32WouldMoveAPoint() {
    // Given the reference's lidar coordinates, which float32 would round by ~1e-4
    PointCloud cloud = PointCloud.of(PointCloud.Layout.XYZ,
        2566.571924017235, 746.7817289698219, -15.269245470863748);

    // When
    byte[] ply = PlyWriter.write(cloud);

    // Then
    assertThat(header(ply)).contains("property double x\nproperty double y\nproperty double z\n");
    assertThat(PlyReader.read(ply)).isEqualTo(cloud);
  }

  @Test
  void shouldFallBackToDoublesWhenALaterPointIsNotAFloat() {
    // Given float32-exact points followed by one that is not
    PointCloud cloud = PointCloud.of(PointCloud.Layout.XYZ_CATEGORY, 1, 2, 3, 4, 0.5, 0.25, 8, 5, 0.1, 0, 0, 6);

    // When
    byte[] ply = PlyWriter.write(cloud);

    // Then
    assertThat(header(ply)).contains("property double x\n");
    assertThat(ply.length - header(ply).length()).isEqualTo(3 * 25);
    assertThat(PlyReader.read(ply)).isEqualTo(cloud);
  }

  @Test
  void shouldRoundToFloat32WhenForced() {
    // Given
    PointCloud cloud = PointCloud.of(PointCloud.Layout.XYZ, 2566.571924017235, 0.1, 1e-3);

    // When
    byte[] ply = PlyWriter.write(cloud, PlyWriter.CoordinateType.FLOAT32, List.of());

    // Then
    assertThat(header(ply)).contains("property float x\n");
    assertThat(PlyReader.read(ply).toArray())
        .containsExactly((float) 2566.571924017235, 0.1f, 1e-3f);
  }

  @Test
  void shouldRoundTripRandomCloudsExactly() {
    SplittableRandom random = new SplittableRandom(3);
    for (PointCloud.Layout layout : PointCloud.Layout.values()) {
      for (boolean float32 : new boolean[] {true, false}) {
        // Given
        int n = 1000;
        double[] v = new double[n * layout.columns()];
        for (int i = 0; i < v.length; i++) {
          int column = i % layout.columns();
          double coordinate = random.nextGaussian() * 1000;
          v[i] = column < 3 ? (float32 ? (float) coordinate : coordinate)
              : layout == PointCloud.Layout.XYZ_CATEGORY ? random.nextInt(1, 15) : random.nextInt(256);
        }
        PointCloud cloud = PointCloud.of(layout, v);

        // When
        byte[] ply = PlyWriter.write(cloud);

        // Then
        assertThat(header(ply)).contains(float32 ? "property float x" : "property double x");
        assertThat(PlyReader.read(ply)).as("%s float32=%s", layout, float32).isEqualTo(cloud);
      }
    }
  }

  @Test
  void shouldRoundFractionalColoursToTheNearestByte() {
    // Given the reference's colours 76.5 and 89.466..., and 0.49
    PointCloud cloud = PointCloud.of(PointCloud.Layout.XYZ_RGB, 0, 0, 0, 76.5, 89.46617199365393, 0.49);

    // When
    PointCloud back = PlyReader.read(PlyWriter.write(cloud));

    // Then
    assertThat(back.toArray()).containsExactly(0, 0, 0, 77, 89, 0);
  }

  @Test
  void shouldRecordTheTruncationInHeaderComments() {
    // Given
    PointCloud cloud = PointCloudFixtures.indexed(10, PointCloud.Layout.XYZ);
    TruncatedPointCloud result = new TruncationPolicy(4, TruncationStrategy.STRIDED).apply(cloud);

    // When
    byte[] ply = PlyWriter.write(result);

    // Then
    assertThat(PlyReader.comments(ply)).containsExactly(
        "mediaflow original_count 10", "mediaflow truncated true strategy STRIDED");
    assertThat(PlyReader.read(ply).toArray()).containsExactly(0, 0, 0.25, 2, -2, 0.25, 5, -5, 0.25, 7, -7, 0.25);
  }

  @Test
  void shouldRejectCommentsThatWouldBreakTheHeader() {
    PointCloud cloud = PointCloudFixtures.indexed(1, PointCloud.Layout.XYZ);
    assertThatThrownBy(() -> PlyWriter.write(cloud, PlyWriter.CoordinateType.AUTO, List.of("a\nend_header")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldWriteAnEmptyCloud() {
    // Given
    PointCloud cloud = PointCloud.of(PointCloud.Layout.XYZ);

    // When
    byte[] ply = PlyWriter.write(cloud);

    // Then
    assertThat(header(ply)).contains("element vertex 0\n");
    assertThat(ply).hasSize(header(ply).length());
    assertThat(PlyReader.read(ply)).isEqualTo(cloud);
  }

  @Test
  void shouldWriteOnlyTheKeptRowsOfAHeadView() {
    // Given a HEAD truncation, which shares the original's array
    PointCloud cloud = PointCloudFixtures.indexed(100, PointCloud.Layout.XYZ_RGB);
    PointCloud kept = new TruncationPolicy(10, TruncationStrategy.HEAD).apply(cloud).cloud();

    // When
    byte[] ply = PlyWriter.write(kept);

    // Then
    assertThat(ply.length - header(ply).length()).isEqualTo(10 * 15);
    assertThat(PlyReader.read(ply)).isEqualTo(kept);
  }
}
