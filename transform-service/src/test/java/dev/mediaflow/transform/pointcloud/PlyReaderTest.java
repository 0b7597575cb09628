package dev.mediaflow.transform.pointcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PlyReaderTest {

  private static byte[] ply(String header, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(body);
    return out.toByteArray();
  }

  @Test
  void shouldReadAPlyWrittenByNumpySkippingPropertiesItDoesNotKnow() {
    // Given a PLY with float x y z, a float intensity, uchar colours and an empty face element
    byte[] ply = PointCloudFixtures.bytes("numpy_written.ply");
    double[] expected = PointCloudFixtures.npy("numpy_written.expected.npy").doubles();

    // When
    PointCloud cloud = PlyReader.read(ply);

    // Then
    assertThat(cloud.layout()).isEqualTo(PointCloud.Layout.XYZ_RGB);
    assertThat(cloud.count()).isEqualTo(40);
    assertThat(cloud.toArray()).containsExactly(expected);
    assertThat(PlyReader.comments(ply)).containsExactly("written by numpy");
  }

  @Test
  void shouldReadOtherScalarTypesAndAliases() {
    // Given int16 coordinates and an int8 extra column before them
    ByteBuffer body = ByteBuffer.allocate(7).order(ByteOrder.LITTLE_ENDIAN);
    body.put((byte) -1).putShort((short) -300).putShort((short) 2).putShort((short) 7);
    String header = "ply\nformat binary_little_endian 1.0\nelement vertex 1\n"
        + "property int8 flag\nproperty short x\nproperty int16 y\nproperty ushort z\nend_header\n";

    // When
    PointCloud cloud = PlyReader.read(ply(header, body.array()));

    // Then
    assertThat(cloud.toArray()).containsExactly(-300, 2, 7);
  }

  @Test
  void shouldRejectAsciiPly() {
    byte[] ply = ply("ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nend_header\n", "1\n".getBytes());
    assertThatThrownBy(() -> PlyReader.read(ply))
        .isInstanceOf(PointCloudRejectedException.class)
        .hasMessage("unsupported PLY format 'format ascii 1.0' (only binary_little_endian)");
  }

  @Test
  void shouldRejectBigEndianPly() {
    byte[] ply = ply("ply\nformat binary_big_endian 1.0\nelement vertex 0\nend_header\n", new byte[0]);
    assertThatThrownBy(() -> PlyReader.read(ply))
        .isInstanceOf(PointCloudRejectedException.class)
        .hasMessageStartingWith("unsupported PLY format");
  }

  @Test
  void shouldRejectDataCutShort() {
    // Given a header for 2 points of 15 bytes and 20 bytes of data
    byte[] full = PlyWriter.write(PointCloudFixtures.indexed(2, PointCloud.Layout.XYZ_RGB));
    byte[] cut = java.util.Arrays.copyOf(full, full.length - 10);

    // When / Then
    assertThatThrownBy(() -> PlyReader.read(cut))
        .isInstanceOf(PointCloudRejectedException.class)
        .hasMessage("PLY data is cut short: 2 vertices of 15 bytes need 30, file has 20");
  }

  @Test
  void shouldRejectVerticesWithoutCoordinates() {
    byte[] ply = ply("ply\nformat binary_little_endian 1.0\nelement vertex 1\nproperty float y\n"
        + "property float z\nend_header\n", new byte[8]);
    assertThatThrownBy(() -> PlyReader.read(ply))
        .isInstanceOf(PointCloudRejectedException.class)
        .hasMessage("PLY vertex has no 'x' property");
  }

  @Test
  void shouldRejectOnlySomeColourChannels() {
    byte[] ply = ply("ply\nformat binary_little_endian 1.0\nelement vertex 0\nproperty float x\n"
        + "property float y\nproperty float z\nproperty uchar red\nend_header\n", new byte[0]);
    assertThatThrownBy(() -> PlyReader.read(ply))
        .isInstanceOf(PointCloudRejectedException.class)
        .hasMessage("PLY has only some of red, green, blue");
  }

  @Test
  void shouldRejectFacesBeforeVertices() {
    byte[] ply = ply("ply\nformat binary_little_endian 1.0\nelement face 0\n"
        + "property list uchar int vertex_indices\nelement vertex 0\nend_header\n", new byte[0]);
    assertThatThrownBy(() -> PlyReader.read(ply))
        .isInstanceOf(PointCloudRejectedException.class)
        .hasMessage("PLY's first element must be 'vertex', got 'face'");
  }

  @Test
  void shouldRejectFilesThatAreNotPly() {
    assertThatThrownBy(() -> PlyReader.read("solid cube\nendsolid\n".getBytes()))
        .isInstanceOf(PointCloudRejectedException.class)
        .hasMessage("not a PLY file (no 'ply' magic line)");
    assertThatThrownBy(() -> PlyReader.read("ply\nformat binary_little_endian 1.0\n".getBytes()))
        .isInstanceOf(PointCloudRejectedException.class)
        .hasMessage("PLY header has no end_header line");
  }

  @Test
  void shouldValidateWhatItReads() {
    // Given a category outside [1, 14]
    byte[] ply = ply("ply\nformat binary_little_endian 1.0\nelement vertex 1\nproperty float x\n"
        + "property float y\nproperty float z\nproperty uchar category\nend_header\n", new byte[13]);

    // When / Then
    assertThatThrownBy(() -> PlyReader.read(ply))
        .isInstanceOf(PointCloudRejectedException.class)
        .hasMessage("point 0 has category 0; categories are integers in [1, 14]");
  }
}
