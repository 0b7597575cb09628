package dev.mediaflow.bench.kernels;

import dev.mediaflow.transform.histogram.Histogram;
import dev.mediaflow.transform.histogram.NonFinitePolicy;
import dev.mediaflow.transform.histogram.NumpyHistogram;
import dev.mediaflow.transform.image.ImageProcessor;
import dev.mediaflow.transform.image.ImageRequest;
import dev.mediaflow.transform.image.PixelArray;
import dev.mediaflow.transform.image.PixelNormalizer;
import dev.mediaflow.transform.pointcloud.PlyWriter;
import dev.mediaflow.transform.pointcloud.PointCloud;
import dev.mediaflow.transform.pointcloud.PtsJsonWriter;
import dev.mediaflow.transform.pointcloud.TruncatedPointCloud;
import dev.mediaflow.transform.pointcloud.TruncationPolicy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the benchmarks cannot say: for every kernel input, our output's SHA-256 or size, and
 * for histograms whether counts and edges equal numpy's bit for bit (numpy's results written
 * by {@code tools/bench/kernels.py reference}). Usage: {@code KernelFacts INPUT_DIR OUT.json}.
 */
public final class KernelFacts {
  private static final int[] SIDES = {256, 512, 1024, 2048};
  private static final int[] IMAGE_SIDES = {256, 512, 1024};
  private static final int[] COUNTS = {10_000, 1_000_000, 10_000_000};
  private static final int[] BINS = {64, 512};

  private final Path dir;
  private final Map<String, Map<String, Object>> facts = new LinkedHashMap<>();

  private KernelFacts(Path dir) {
    this.dir = dir;
  }

  public static void main(String[] args) throws IOException {
    KernelFacts k = new KernelFacts(Path.of(args[0]));
    k.normalization();
    k.histograms();
    k.encoders();
    k.pointClouds();
    Files.writeString(Path.of(args[1]), k.json());
  }

  private void normalization() {
    for (String dtype : List.of("float32", "float64")) {
      for (String branch : List.of("unit", "signed", "clip")) {
        for (int side : SIDES) {
          NpyFile f = NpyFile.read(dir, "norm_" + dtype + "_" + branch + "_" + side);
          List<String> warnings = new ArrayList<>();
          byte[] out = new byte[(int) f.count()];
          PixelNormalizer.Branch used = PixelNormalizer.convert(array(f), true, warnings, out);
          put("normalize/" + dtype + "/" + branch + "/" + side, "sha256", sha256(out), "branch",
              used.toString(), "warnings", warnings.size());
        }
      }
    }
    for (int side : SIDES) {
      NpyFile f = NpyFile.read(dir, "norm_uint8_" + side);
      byte[] out = PixelNormalizer.toUint8(array(f), true, new ArrayList<>());
      put("normalize/uint8/passthrough/" + side, "sha256", sha256(out));
    }
  }

  private void histograms() {
    for (String dtype : List.of("float32", "float64")) {
      for (int count : COUNTS) {
        NpyFile f = NpyFile.read(dir, "hist_" + dtype + "_" + count);
        for (int bins : BINS) {
          Histogram h = NumpyHistogram.compute(array(f), bins, NonFinitePolicy.REJECT);
          String base = "histexp_" + dtype + "_" + count + "_" + bins;
          long[] counts = longs(NpyFile.read(dir, base + "_counts"));
          NpyFile edgesFile = NpyFile.read(dir, base + "_edges");
          double[] edges = doubles(edgesFile);
          int countDiffs = 0;
          long[] ours = h.counts();
          for (int i = 0; i < Math.max(ours.length, counts.length); i++) {
            countDiffs += i < ours.length && i < counts.length && ours[i] == counts[i] ? 0 : 1;
          }
          int edgeDiffs = 0;
          double[] ourEdges = h.edges();
          for (int i = 0; i < Math.max(ourEdges.length, edges.length); i++) {
            boolean same = i < ourEdges.length && i < edges.length
                && Double.doubleToRawLongBits(ourEdges[i]) == Double.doubleToRawLongBits(edges[i]);
            edgeDiffs += same ? 0 : 1;
          }
          boolean edgeType = h.edgesFloat32() == edgesFile.dtype().equals("float32");
          put("histogram/" + dtype + "/" + count + "/" + bins, "exact",
              countDiffs == 0 && edgeDiffs == 0 && edgeType, "count_mismatches", countDiffs,
              "edge_mismatches", edgeDiffs, "edge_dtype_matches", edgeType);
        }
      }
    }
  }

  private void encoders() {
    for (String format : List.of("png", "jpg")) {
      for (String kind : List.of("random", "smooth")) {
        for (int side : IMAGE_SIDES) {
          NpyFile f = NpyFile.read(dir, "img_" + kind + "_" + side);
          byte[] encoded = ImageProcessor.process(ImageRequest.builder(array(f)).fileType(format).build())
              .encoded();
          put("encode/" + format + "/" + kind + "/" + side, "bytes", encoded.length,
              "input_bytes", f.data().length);
        }
      }
    }
  }

  private void pointClouds() {
    for (String dtype : List.of("float32", "float64")) {
      NpyFile f = NpyFile.read(dir, "pc_" + dtype);
      PointCloud cloud = PointCloud.fromArray(f.dtype(), f.shape(), ByteBuffer.wrap(f.data()));
      TruncatedPointCloud kept = TruncationPolicy.DEFAULT.apply(cloud);
      String id = "pointcloud/" + dtype + "/";
      put(id + "truncate-head", "input_bytes", f.data().length, "kept", kept.keptCount(),
          "kept_sha256", sha256(doublesToBytes(kept.cloud().toArray())));
      put(id + "truncate-strided", "input_bytes", f.data().length);
      byte[] ply = PlyWriter.write(kept);
      put(id + "ply", "bytes", ply.length, "input_bytes", kept.keptCount() * 6L * 8);
      byte[] json = PtsJsonWriter.write(kept.cloud());
      put(id + "ptsjson", "bytes", json.length, "input_bytes", kept.keptCount() * 6L * 8);
    }
  }

  private static PixelArray array(NpyFile f) {
    return PixelArray.of(PixelArray.Dtype.fromNumpyName(f.dtype()), f.shape(), f.data());
  }

  private static long[] longs(NpyFile f) {
    ByteBuffer b = ByteBuffer.wrap(f.data()).order(ByteOrder.LITTLE_ENDIAN);
    long[] out = new long[(int) f.count()];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.getLong(8 * i);
    }
    return out;
  }

  private static double[] doubles(NpyFile f) {
    ByteBuffer b = ByteBuffer.wrap(f.data()).order(ByteOrder.LITTLE_ENDIAN);
    double[] out = new double[(int) f.count()];
    boolean single = f.dtype().equals("float32");
    for (int i = 0; i < out.length; i++) {
      out[i] = single ? b.getFloat(4 * i) : b.getDouble(8 * i);
    }
    return out;
  }

  private static byte[] doublesToBytes(double[] v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asDoubleBuffer().put(v);
    return b.array();
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void put(String id, Object... keyValues) {
    Map<String, Object> m = facts.computeIfAbsent(id, k -> new LinkedHashMap<>());
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
  }

  private String json() {
    StringBuilder b = new StringBuilder("{\n");
    int i = 0;
    for (var e : facts.entrySet()) {
      b.append(i++ > 0 ? ",\n" : "").append("  \"").append(e.getKey()).append("\": {");
      int j = 0;
      for (var kv : e.getValue().entrySet()) {
        b.append(j++ > 0 ? ", " : "").append('"').append(kv.getKey()).append("\": ");
        Object v = kv.getValue();
        b.append(v instanceof String s ? "\"" + s + "\"" : String.valueOf(v));
      }
      b.append('}');
    }
    return b.append("\n}\n").toString();
  }
}
