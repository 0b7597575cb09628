package dev.mediaflow.transform.pointcloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the kernel against numpy: arrays in every dtype against numpy's
 * {@code astype(float64)}, and our PLY files parsed by numpy alone
 * ({@code make_pointcloud_fixtures.py --verify}, run when Debian's /usr/bin/python3 with numpy
 * is installed; skipped with a message otherwise).
 */
class PointCloudNumpyFixturesTest {
  private static final Path PYTHON = Paths.get("/usr/bin/python3");
  private static final Path SCRIPT = Paths.get("..", "tools", "fixtures", "make_pointcloud_fixtures.py");

  static Stream<Arguments> dtypes() {
    return StreamSupport.stream(PointCloudFixtures.json("dtypes.json").spliterator(), false)
        .map(c -> Arguments.of(c.get("dtype").asText(), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dtypes")
  void shouldDecodeEveryDtypeLikeNumpyAstypeFloat64(String dtype, JsonNode c) {
    // Given
    PointCloudFixtures.Npy input = PointCloudFixtures.npy(c.get("input").asText());
    PointCloudFixtures.Npy expected = PointCloudFixtures.npy(c.get("expected").asText());

    // When
    PointCloud cloud = input.toPointCloud();

    // Then
    assertThat(input.dtype()).isEqualTo(dtype);
    assertThat(cloud.shape()).containsExactly(expected.shape());
    assertThat(cloud.toArray()).containsExactly(expected.doubles());
  }

  @Test
  void shouldWritePlyThatNumpyReadsBackExactly(@TempDir Path dir) throws Exception {
    String skip = pythonWithNumpyMissing();
    Assumptions.assumeTrue(skip == null, () -> skip);
    for (PointCloud.Layout layout : PointCloud.Layout.values()) {
      // Given the 1000-point fixture (float64 coordinates) cut to the layout, and a float32 copy
      PointCloud full = PointCloudFixtures.npy("cloud_1000x6_float64.npy").toPointCloud();
      double[] v = new double[full.count() * layout.columns()];
      for (int i = 0; i < full.count(); i++) {
        for (int j = 0; j < layout.columns(); j++) {
          v[i * layout.columns() + j] = j == 3 && layout == PointCloud.Layout.XYZ_CATEGORY
              ? 1 + i % 14 : full.get(i, j);
        }
      }
      for (boolean float32 : new boolean[] {false, true}) {
        double[] values = v.clone();
        if (float32) {
          for (int i = 0; i < values.length; i += layout.columns()) {
            for (int j = 0; j < 3; j++) {
              values[i + j] = (float) values[i + j];
            }
          }
        }
        PointCloud cloud = PointCloud.of(layout, values);
        Path ply = dir.resolve(layout + "-" + float32 + ".ply");
        Path expected = dir.resolve(layout + "-" + float32 + ".npy");
        Files.write(ply, PlyWriter.write(cloud));
        Files.write(expected, npy(cloud));

        // When
        String out = run(List.of(PYTHON.toString(), SCRIPT.toString(), "--verify", ply.toString(),
            "--expect", expected.toString()));

        // Then
        JsonNode summary = PointCloudFixtures.JSON.readTree(out);
        assertThat(summary.get("problems")).as(out).isEmpty();
        assertThat(summary.get("count").asInt()).isEqualTo(1000);
        assertThat(summary.get("properties").get(0).get(1).asText()).isEqualTo(float32 ? "<f4" : "<f8");
      }
    }
  }

  /** A float64 .npy of the cloud, for the script to compare with. */
  private static byte[] npy(PointCloud cloud) {
    String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + cloud.count() + ", "
        + cloud.columns() + "), }";
    int pad = 64 - (10 + dict.length() + 1) % 64;
    String header = dict + " ".repeat(pad % 64) + "\n";
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + header.length() + cloud.count() * cloud.columns() * 8)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
        .putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
    for (double d : cloud.toArray()) {
      b.putDouble(d);
    }
    return b.array();
  }

  /** Why the numpy check cannot run here, or null when it can. */
  private static String pythonWithNumpyMissing() throws IOException, InterruptedException {
    if (!Files.isExecutable(PYTHON)) {
      return "skipping numpy PLY check: " + PYTHON + " not found (apt install python3-numpy)";
    }
    if (!Files.isRegularFile(SCRIPT)) {
      return "skipping numpy PLY check: " + SCRIPT.toAbsolutePath() + " not found";
    }
    Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import numpy").redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      return "skipping numpy PLY check: " + PYTHON + " has no numpy (apt install python3-numpy)";
    }
    return null;
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("script finished").isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
