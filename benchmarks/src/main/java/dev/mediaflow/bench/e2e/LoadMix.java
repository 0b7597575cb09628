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

  /** One binary part of a call: an {@code .npy} array or an already-encoded file. */
  record Part(String name, String fileName, byte[] bytes) {
    Part(String name, byte[] npy) {
      this(name, name + ".npy", npy);
    }
  }

  /**
   * What one call (one step) carries: the log JSON, its parts, the item identities (key, index)
   * and each item's payload, aligned with {@code itemKeys}: the bytes of the part it names, or,
   * for an item carried inline in the JSON (a precomputed histogram), its JSON spec. The payload
   * is what both sides of the raw-Kafka comparison count ({@link RawKafkaBaseline} sends one
   * record per item with exactly these bytes).
   */
  record Call(String logJson, List<Part> parts, List<String> itemKeys, List<byte[]> payloads, long bodyBytes) {
    LogCallRequest request() {
      LogCallRequest r = new LogCallRequest(logJson);
      for (Part p : parts) {
        r.part(p.name(), p.fileName(), "application/octet-stream", p.bytes());
      }
      return r;
    }

    long payloadBytes() {
      return payloads.stream().mapToLong(b -> b.length).sum();
    }
  }

  /** Set for the pass-through mix (already-encoded files), null for the media mix. */
  private final PassThrough passThrough;
  private final boolean histograms;
  private final boolean pointClouds;
  private final byte[][] unitImages = new byte[VARIANTS][];
  private final byte[][] byteImages = new byte[VARIANTS][];
  private final byte[][] signedImages = new byte[VARIANTS][];
  private final byte[][] histogramValues = new byte[VARIANTS][];
  private final byte[] bigCloud;
  private final byte[] smallCloud;

  /** The media mix (arrays the kernels work on), with or without histograms and point clouds. */
  LoadMix(boolean histograms, boolean pointClouds) {
    this.passThrough = null;
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

  private LoadMix(PassThrough passThrough) {
    this.passThrough = passThrough;
    this.histograms = false;
    this.pointClouds = false;
    this.bigCloud = null;
    this.smallCloud = null;
  }

  /**
   * The pass-through mix: items whose kernels do little. Every step: {@code samples}, 3
   * already-encoded images sent as {@code file} parts (a PNG of about 190 KB, JPEGs of about
   * 60 and 300 KB; the transform only inspects their headers); {@code activations}, a
   * precomputed 64-bin histogram as {@code np_histogram} (inline JSON, about 1.5 KB); {@code
   * mesh}, a 3D model as a {@code .glb} file of about 240 KB (stored as sent).
   */
  static LoadMix passThrough() {
    return new LoadMix(new PassThrough());
  }

  /** "media" or "passthrough". */
  String name() {
    return passThrough == null ? "media" : "passthrough";
  }

  /** Items per call, averaged over the cycle of point clouds. */
  double itemsPerCallAverage() {
    if (passThrough != null) {
      return 5;
    }
    return 4 + (histograms ? 1 : 0) + (pointClouds ? 1.0 / CLOUD_EVERY : 0);
  }

  /** The call for one step. */
  Call call(long step) {
    if (passThrough != null) {
      return passThrough.call(step);
    }
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
    return call(step, data, parts, keys, parts.stream().map(Part::bytes).toList());
  }

  private static Call call(long step, CharSequence data, List<Part> parts, List<String> keys, List<byte[]> payloads) {
    String json = "{\"step\": " + step + ", \"data\": {" + data + "}}";
    long bytes = json.length();
    for (Part p : parts) {
      bytes += p.bytes().length + 160; // multipart headers, about
    }
    return new Call(json, parts, keys, payloads, bytes);
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

  /** Encoded files made once (8 variants each), sent as they are. */
  static final class PassThrough {
    final byte[][] png = new byte[VARIANTS][];
    final byte[][] smallJpeg = new byte[VARIANTS][];
    final byte[][] bigJpeg = new byte[VARIANTS][];
    final byte[][] histogram = new byte[VARIANTS][];
    final byte[][] glb = new byte[VARIANTS][];

    PassThrough() {
      SplittableRandom random = new SplittableRandom(20261202);
      for (int v = 0; v < VARIANTS; v++) {
        png[v] = EncodedFiles.png(EncodedFiles.picture(256, 256, 24, random));
        smallJpeg[v] = EncodedFiles.jpeg(EncodedFiles.picture(640, 480, 12, random), 0.9f);
        bigJpeg[v] = EncodedFiles.jpeg(EncodedFiles.picture(1024, 768, 12, random), 0.9f);
        histogram[v] = npHistogram(normals(HISTOGRAM_VALUES, random)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        glb[v] = EncodedFiles.glb(20_000, random);
      }
    }

    Call call(long step) {
      int v = (int) (step % VARIANTS);
      List<Part> parts = List.of(new Part("f0", "f0.png", png[v]), new Part("f1", "f1.jpg", smallJpeg[v]),
          new Part("f2", "f2.jpg", bigJpeg[v]), new Part("m0", "m0.glb", glb[v]));
      String data = "\"samples\": [" + fileSpec("image", "f0") + ", " + fileSpec("image", "f1") + ", "
          + fileSpec("image", "f2") + "], \"activations\": " + new String(histogram[v], java.nio.charset.StandardCharsets.UTF_8)
          + ", \"mesh\": " + fileSpec("object3D", "m0");
      List<String> keys = List.of("samples/0", "samples/1", "samples/2", "activations/0", "mesh/0");
      List<byte[]> payloads = List.of(png[v], smallJpeg[v], bigJpeg[v], histogram[v], glb[v]);
      return LoadMix.call(step, data, parts, keys, payloads);
    }

    static String fileSpec(String type, String part) {
      return "{\"_type\": \"" + type + "\", \"file\": \"" + part + "\"}";
    }

    /** {@code {"_type": "histogram", "np_histogram": [counts, edges]}} of 64 bins over the values. */
    static String npHistogram(byte[] floats) {
      ByteBuffer b = ByteBuffer.wrap(floats).order(ByteOrder.LITTLE_ENDIAN);
      int n = floats.length / 4;
      float lo = Float.MAX_VALUE;
      float hi = -Float.MAX_VALUE;
      for (int i = 0; i < n; i++) {
        lo = Math.min(lo, b.getFloat(i * 4));
        hi = Math.max(hi, b.getFloat(i * 4));
      }
      long[] counts = new long[64];
      for (int i = 0; i < n; i++) {
        counts[Math.min(63, (int) ((b.getFloat(i * 4) - lo) / (hi - lo) * 64))]++;
      }
      StringBuilder json = new StringBuilder("{\"_type\": \"histogram\", \"np_histogram\": [[");
      for (int i = 0; i < 64; i++) {
        json.append(i > 0 ? ", " : "").append(counts[i]);
      }
      json.append("], [");
      for (int i = 0; i <= 64; i++) {
        json.append(i > 0 ? ", " : "").append(lo + (hi - lo) * i / 64.0);
      }
      return json.append("]]}").toString();
    }
  }
}
