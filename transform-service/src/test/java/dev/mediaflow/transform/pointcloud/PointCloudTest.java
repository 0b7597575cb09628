package dev.mediaflow.transform.pointcloud;

import static dev.mediaflow.transform.pointcloud.PointCloudFixtures.cloud;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.transform.MediaRejectedException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PointCloudTest {

  @Test
  void shouldAcceptXyzCloudFromFloat32Array() {
    // Given
    ByteBuffer data = ByteBuffer.allocate(2 * 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
    data.asFloatBuffer().put(new float[] {0.4f, 1f, 1.3f, 1.2f, 1f, 1.2f});

    // When
    PointCloud cloud = PointCloud.fromArray("float32", new long[] {2, 3}, data);

    // Then
    assertThat(cloud.layout()).isEqualTo(PointCloud.Layout.XYZ);
    assertThat(cloud.count()).isEqualTo(2);
    assertThat(cloud.shape()).containsExactly(2, 3);
    assertThat(cloud.toArray()).containsExactly(0.4f, 1f, 1.3f, 1.2f, 1f, 1.2f);
    assertThat(data.position()).as("caller's buffer untouched").isZero();
  }

  @Test
  void shouldAcceptTheReferenceExamplesForEveryLayout() {
    // Given the three arrays of the reference's from_numpy examples
    double[] xyz = {0.4, 1, 1.3, 1, 1, 1, 1.2, 1, 1.2};
    double[] category = {0.4, 1, 1.3, 1, 1, 1, 1, 1, 1.2, 1, 1.2, 12, 1.2, 1, 1.6, 11};
    double[] rgb = {0.4, 1, 1.3, 255, 0, 0, 1, 1, 1, 0, 255, 0, 1.2, 1, 1.3, 0, 255, 255};

    // When
    PointCloud a = cloud(3, xyz);
    PointCloud b = cloud(4, category);
    PointCloud c = cloud(6, rgb);

    // Then
    assertThat(a.layout()).isEqualTo(PointCloud.Layout.XYZ);
    assertThat(b.layout()).isEqualTo(PointCloud.Layout.XYZ_CATEGORY);
    assertThat(b.get(3, 3)).isEqualTo(11);
    assertThat(c.layout()).isEqualTo(PointCloud.Layout.XYZ_RGB);
    assertThat(c.get(2, 5)).isEqualTo(255);
  }

  @Test
  void shouldReadFromTheBufferPositionOnward() {
    // Given a buffer whose first 3 bytes are not part of the array
    ByteBuffer data = ByteBuffer.allocate(3 + 3).put(new byte[] {9, 9, 9, 1, 2, 3});
    data.position(3);

    // When
    PointCloud cloud = PointCloud.fromArray("uint8", new long[] {1, 3}, data);

    // Then
    assertThat(cloud.toArray()).containsExactly(1, 2, 3);
    assertThat(data.position()).isEqualTo(3);
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "2,5;(2, 5)",
      "6;(6,)",
      "2,3,1;(2, 3, 1)",
      "3,2;(3, 2)",
      "'';()"})
  void shouldRejectShapesOtherThanNx3Nx4Nx6(String dims, String shapeText) {
    // Given
    long[] shape = dims.isEmpty() ? new long[0]
        : java.util.Arrays.stream(dims.split(",")).mapToLong(Long::parseLong).toArray();
    long elements = java.util.Arrays.stream(shape).reduce(1, (x, y) -> x * y);

    // When / Then
    assertThatThrownBy(() -> PointCloud.fromArray("float64", shape, ByteBuffer.allocate((int) elements * 8)))
        .isInstanceOf(PointCloudRejectedException.class)
        .isInstanceOf(MediaRejectedException.class)
        .hasMessage("point cloud must be n×3, n×4 or n×6, got " + shapeText);
  }

  @Test
  void shouldRejectPointCloudWithFiveColumns() {
    assertThatThrownBy(() -> cloud(5, 1, 2, 3, 4, 5))
        .isInstanceOf(PointCloudRejectedException.class)
        .extracting(e -> ((PointCloudRejectedException) e).reason())
        .isEqualTo("point cloud must be n×3, n×4 or n×6, got (1, 5)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"bool", "uint32", "uint64", "float16", "complex64", ""})
  void shouldRejectUnsupportedDtypes(String dtype) {
    assertThatThrownBy(() -> PointCloud.fromArray(dtype, new long[] {1, 3}, ByteBuffer.allocate(3)))
        .isInstanceOf(PointCloudRejectedException.class)
        .hasMessageStartingWith("unsupported dtype '" + dtype + "'");
  }

  @Test
  void shouldRejectDataNotMatchingShapeAndDtype() {
    assertThatThrownBy(() -> PointCloud.fromArray("float32", new long[] {2, 3}, ByteBuffer.allocate(20)))
        .isInstanceOf(PointCloudRejectedException.class)
        .hasMessage("point cloud data has 20 bytes but shape (2, 3) of float32 needs 24");
  }

  @Test
  void shouldAcceptAnEmptyCloud() {
    // When
    PointCloud cloud = PointCloud.fromArray("float32", new long[] {0, 6}, ByteBuffer.allocate(0));

    // Then
    assertThat(cloud.isEmpty()).isTrue();
    assertThat(cloud.layout()).isEqualTo(PointCloud.Layout.XYZ_RGB);
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "0;0", "15;15", "1.5;1.5", "NaN;NaN", "-1;-1", "Infinity;Infinity"})
  void shouldRejectCategoriesOutsideOneToFourteen(double category, String shown) {
    assertThatThrownBy(() -> cloud(4, 0, 0, 0, 1, 0, 0, 0, category))
        .isInstanceOf(PointCloudRejectedException.class)
        .hasMessage("point 1 has category " + shown + "; categories are integers in [1, 14]");
  }

  @Test
  void shouldAcceptCategoriesOneAndFourteen() {
    assertThat(cloud(4, 0, 0, 0, 1, 0, 0, 0, 14.0).get(1, 3)).isEqualTo(14);
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "3;256;r = 256", "4;-1;g = -1", "5;NaN;b = NaN", "3;255.5;r = 255.5"})
  void shouldRejectColoursOutsideZeroTo255(int column, double value, String shown) {
    // Given
    double[] v = {0, 0, 0, 10, 20, 30, 0, 0, 0, 10, 20, 30};
    v[6 + column] = value;

    // When / Then
    assertThatThrownBy(() -> cloud(6, v))
        .isInstanceOf(PointCloudRejectedException.class)
        .hasMessage("point 1 has colour " + shown + "; colours are in [0, 255]");
  }

  @Test
  void shouldKeepFractionalColoursLikeTheReferenceExample() {
    // Given the first point of the reference's lidar example
    double[] v = {2566.571924017235, 746.7817289698219, -15.269245470863748, 76.5, 127.5, 89.46617199365393};

    // When
    PointCloud cloud = cloud(6, v);

    // Then
    assertThat(cloud.toArray()).containsExactly(v);
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {"0;NaN;x", "1;Infinity;y", "2;-Infinity;z"})
  void shouldRejectNonFiniteCoordinatesNamingThePoint(int column, double value, String name) {
    // Given
    double[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    v[6 + column] = value;

    // When / Then
    assertThatThrownBy(() -> cloud(3, v))
        .isInstanceOf(PointCloudRejectedException.class)
        .hasMessage("point 2 has a non-finite coordinate: " + name + " = " + value);
  }

  @Test
  void shouldRejectValuesNotFillingWholeRows() {
    assertThatThrownBy(() -> PointCloud.of(PointCloud.Layout.XYZ, 1, 2, 3, 4))
        .isInstanceOf(PointCloudRejectedException.class)
        .hasMessage("point cloud has 4 values, not a multiple of 3");
  }

  @Test
  void shouldCopyValuesOnTheWayInAndOut() {
    // Given
    double[] v = {1, 2, 3};
    PointCloud cloud = PointCloud.of(PointCloud.Layout.XYZ, v);

    // When
    v[0] = 99;
    cloud.toArray()[1] = 99;

    // Then
    assertThat(cloud.toArray()).containsExactly(1, 2, 3);
  }

  @Test
  void shouldCompareByContent() {
    // Given a HEAD view sharing a larger array and a fresh copy of the same points
    PointCloud big = PointCloudFixtures.indexed(10, PointCloud.Layout.XYZ_RGB);
    PointCloud view = big.head(4);
    PointCloud copy = PointCloud.of(PointCloud.Layout.XYZ_RGB, view.toArray());

    // Then
    assertThat(view).isEqualTo(copy).hasSameHashCodeAs(copy).isNotEqualTo(big);
    assertThat(view.toArray()).hasSize(4 * 6);
    assertThat(view).hasToString("PointCloud[XYZ_RGB, 4 points]");
  }
}
