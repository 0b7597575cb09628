package dev.mediaflow.bench.e2e;

import dev.mediaflow.ingest.client.LogCallRequest;
import dev.mediaflow.ingest.npy.NpyWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The log calls the load generator sends: one call per training step, shaped like what a
 * training loop logs with the W&amp;B client.
 *
 * <ul>
 *   <li>{@code samples}: 4 images every step: two float32 [0, 1] 128×128×3 (png), one uint8
 *       256×256×3 (png), one float32 [-1, 1] 128×128×3 (jpg); smooth pictures with noise, 8
 *       variants each so the encoders see different bytes;</li>
 *   <li>{@code activations}: a histogram of 100,000 float32 values (64 bins) every step;</li>
 *   <li>{@code lidar}: a point cloud every 10th step, alternately 500,000 × 6 float32 (above
 *       the 300,000 limit, truncated) and 100,000 × 6 (below it).</li>
 * </ul>
 * Histograms and point clouds are included only when the gateway accepts them
 * ({@link E2eBench} probes first); the item JSON for them is in {@link #histogramSpec} and
 * {@link #pointCloudSpec}.
 */
final class LoadMix {
  static final int VARIANTS = 8;
  static final int HISTOGRAM_VALUES = 100_000;
  static final int CLOUD_EVERY = 10;
  static final int BIG_CLOUD = 500_000;
  static final int SMALL_CLOUD = 100_000;

  /** One binary part of a call. */
  record Part(String name, byte[] npy) {}

  /** What one call (one step) carries: the log JSON, its parts and the item identities (key, index). */
  record Call(String logJson, List<Part> parts, List<String> itemKeys, long bodyBytes) {
    LogCallRequest request() {
      LogCallRequest r = new LogCallRequest(logJson);
      for (Part p : parts) {
        r.part(p.name(), p.name() + ".npy", "application/octet-stream", p.npy());
      }
      return r;
    }
  }

  private final boolean histograms;
  private final boolean pointClouds;
  private final byte[][] unitImages = new byte[VARIANTS][];
  private final byte[][] byteImages = new byte[VARIANTS][];
  private final byte[][] signedImages = new byte[VARIANTS][];
  private final byte[][] histogramValues = new byte[VARIANTS][];
  private final byte[] bigCloud;
  private final byte[] smallCloud;

  LoadMix(boolean histograms, boolean pointClouds) {
    this.histograms = histograms;
    this.pointClouds = pointClouds;
    SplittableRandom random = new SplittableRandom(20240611);
    for (int v = 0; v < VARIANTS; v++) {
      unitImages[v] = NpyWriter.write("float32", new long[] {128, 128, 3}, floatImage(128, 0f, 1f, random));
      signedImages[v] = NpyWriter.write("float32", new long[] {128, 128, 3}, floatImage(128, -1f, 1f, random));
      byteImages[v] = NpyWriter.write("uint8", new long[] {256, 256, 3}, byteImage(256, random));
      histogramValues[v] = histograms ? NpyWriter.write("float32", new long[] {HISTOGRAM_VALUES},
          normals(HISTOGRAM_VALUES, random)) : null;
    }
    bigCloud = pointClouds ? NpyWriter.write("float32", new long[] {BIG_CLOUD, 6}, cloud(BIG_CLOUD, random)) : null;
    smallCloud = pointClouds ? NpyWriter.write("float32", new long[] {SMALL_CLOUD, 6}, cloud(SMALL_CLOUD, random)) : null;
  }

  /** Items per call, averaged over the cycle of point clouds. */
  double itemsPerCallAverage() {
    return 4 + (histograms ? 1 : 0) + (pointClouds ? 1.0 / CLOUD_EVERY : 0);
  }

  /** The call for one step. */
  Call call(long step) {
    int v = (int) (step % VARIANTS);
    List<Part> parts = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    StringBuilder data = new StringBuilder();
    data.append("\"samples\": [")
        .append(imageSpec("i0", null)).append(", ").append(imageSpec("i1", null)).append(", ")
        .append(imageSpec("i2", null)).append(", ").append(imageSpec("i3", "jpg")).append(']');
    parts.add(new Part("i0", unitImages[v]));
    parts.add(new Part("i1", unitImages[(v + 1) % VARIANTS]));
    parts.add(new Part("i2", byteImages[v]));
    parts.add(new Part("i3", signedImages[v]));
    for (int i = 0; i < 4; i++) {
      keys.add("samples/" + i);
    }
    if (histograms) {
      data.append(", \"activations\": ").append(histogramSpec("h0"));
      parts.add(new Part("h0", histogramValues[v]));
      keys.add("activations/0");
    }
    if (pointClouds && step % CLOUD_EVERY == 0) {
      data.append(", \"lidar\": ").append(pointCloudSpec("p0"));
      parts.add(new Part("p0", (step / CLOUD_EVERY) % 2 == 0 ? bigCloud : smallCloud));
      keys.add("lidar/0");
    }
    String json = "{\"step\": " + step + ", \"data\": {" + data + "}}";
    long bytes = json.length();
    for (Part p : parts) {
      bytes += p.npy().length + 160; // multipart headers, about
    }
    return new Call(json, parts, keys, bytes);
  }

  static String imageSpec(String part, String fileType) {
    return "{\"_type\": \"image\", \"array\": \"" + part + "\""
        + (fileType == null ? "" : ", \"file_type\": \"" + fileType + "\"") + "}";
  }

  /** A histogram item over HTTP, the shape the ingest parser is expected to take. */
  static String histogramSpec(String part) {
    return "{\"_type\": \"histogram\", \"sequence\": \"" + part + "\", \"num_bins\": 64}";
  }

  /** A point-cloud item over HTTP, the shape the ingest parser is expected to take. */
  static String pointCloudSpec(String part) {
    return "{\"_type\": \"object3D\", \"points\": \"" + part + "\"}";
  }

  /** A smooth picture (gradients and waves) with some noise, values in [lo, hi]. */
  private static byte[] floatImage(int side, float lo, float hi, SplittableRandom random) {
    ByteBuffer b = ByteBuffer.allocate(side * side * 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
    double phase = random.nextDouble() * 6;
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        for (int c = 0; c < 3; c++) {
          double s = 0.5 + 0.4 * Math.sin(phase + c + x / 17.0) * Math.cos(y / 23.0) + 0.1 * random.nextDouble();
          b.putFloat((float) (lo + (hi - lo) * Math.min(1.0, Math.max(0.0, s))));
        }
      }
    }
    return b.array();
  }

  private static byte[] byteImage(int side, SplittableRandom random) {
    byte[] out = new byte[side * side * 3];
    double phase = random.nextDouble() * 6;
    for (int y = 0, i = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        for (int c = 0; c < 3; c++) {
          double s = 127 + 100 * Math.sin(phase + c + (x + y) / 29.0) + 20 * random.nextDouble();
          out[i++] = (byte) Math.min(255, Math.max(0, (int) s));
        }
      }
    }
    return out;
  }

  private static byte[] normals(int n, SplittableRandom random) {
    ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      // Box-Muller, one value per pair is enough here
      double u = 1.0 - random.nextDouble();
      b.putFloat((float) (Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble())));
    }
    return b.array();
  }

  private static byte[] cloud(int n, SplittableRandom random) {
    ByteBuffer b = ByteBuffer.allocate(n * 6 * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 3; j++) {
        b.putFloat((float) ((random.nextDouble() - 0.5) * 80));
      }
      for (int j = 0; j < 3; j++) {
        b.putFloat(random.nextInt(256));
      }
    }
    return b.array();
  }
}
