package dev.mediaflow.transform.pointcloud;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Writes a scene as the reference's {@code pts.json} object, compact UTF-8 JSON with keys in
 * this order (any JSON reader accepts any order; type first lets a streaming reader learn it
 * before the bulk):
 *
 * <pre>{"type":"lidar/beta","points":[[x,y,z,r,g,b],...],
 * "boxes":[{"corners":[[x,y,z],...8],"color":[r,g,b],"label":"car","score":0.6}],
 * "vectors":[{"start":[x,y,z],"end":[x,y,z],"color":[r,g,b]}]}</pre>
 *
 * <p>{@code boxes} and {@code vectors} are always present (empty lists when there are none),
 * as wandb writes them; {@code label}, {@code score} and a vector's {@code color} only when
 * given.
 *
 * <p>Numbers: each value is printed as the shortest decimal that reads back to it, in
 * JavaScript's layout ({@link ShortestDecimal}): integers without {@code .0} (colours are
 * {@code 255}, not {@code 255.0}), {@code 1e+21} and {@code 1.5e-7} style exponents. A value
 * that is exactly a float32 is printed with float32's shortest digits ({@code 0.1} rather
 * than {@code 0.10000000149011612}, which is what Python's {@code json.dump} writes for
 * float32 data after {@code tolist()}): the viewer keeps positions in a Float32Array, so it
 * shows exactly the same points, and the file is about half as large. Reading such a file
 * back gives the doubles nearest those decimals, which round to the original floats; float64
 * values come back exactly.
 *
 * <p>The bytes are produced by hand into one array (no String per number; sized once from
 * the first rows): 300,000 n×6 points take ~50-55 ms of CPU, about 18-20x less than Python's
 * {@code json.dump} of the same list (~1 s) and ~5x less than {@link Double#toString} alone.
 */
public final class PtsJsonWriter {
  private static final byte[] HEAD = ("{\"type\":\"" + PointCloudScene.LIDAR_BETA
      + "\",\"points\":[").getBytes(StandardCharsets.US_ASCII);

  /** Rows written before the output size is extrapolated from them. */
  private static final int SAMPLE_ROWS = 256;

  private byte[] buf;
  private int pos;

  private PtsJsonWriter(int capacity) {
    buf = new byte[capacity];
  }

  /** The scene as pts.json bytes. */
  public static byte[] write(PointCloudScene scene) {
    PointCloud points = scene.points();
    // room for the first rows only; points() sizes the rest from them
    long estimate = 1024L + (long) Math.min(points.count(), SAMPLE_ROWS) * points.columns() * 26
        + scene.boxes().size() * 1000L + scene.vectors().size() * 250L;
    PtsJsonWriter w = new PtsJsonWriter((int) estimate);
    w.raw(HEAD);
    w.points(points);
    w.ascii("],\"boxes\":[");
    for (int i = 0; i < scene.boxes().size(); i++) {
      if (i > 0) {
        w.ascii(",");
      }
      w.box(scene.boxes().get(i));
    }
    w.ascii("],\"vectors\":[");
    for (int i = 0; i < scene.vectors().size(); i++) {
      if (i > 0) {
        w.ascii(",");
      }
      w.vector(scene.vectors().get(i));
    }
    w.ascii("]}");
    return Arrays.copyOf(w.buf, w.pos);
  }

  /** A scene of just these points, as pts.json bytes. */
  public static byte[] write(PointCloud points) {
    return write(PointCloudScene.of(points));
  }

  private void points(PointCloud cloud) {
    double[] v = cloud.values;
    int cols = cloud.columns();
    int rowMax = 2 + cols * (ShortestDecimal.MAX_CHARS + 1);
    int start = pos;
    for (int i = 0, o = 0; i < cloud.count(); i++, o += cols) {
      if (i == SAMPLE_ROWS) {
        // one resize, to what the rows so far predict for the rest plus 10 %, instead of
        // doubling (each doubling copies and zeroes megabytes)
        long perRow = (pos - start) / SAMPLE_ROWS + 1;
        long rest = (cloud.count() - i) * perRow * 11 / 10 + 4096;
        ensure((int) Math.min(rest, Integer.MAX_VALUE - 8L - pos));
      }
      ensure(rowMax);
      byte[] b = buf;
      int p = pos;
      if (i > 0) {
        b[p++] = ',';
      }
      b[p++] = '[';
      p = number(v[o], b, p);
      for (int j = 1; j < cols; j++) {
        b[p++] = ',';
        p = number(v[o + j], b, p);
      }
      b[p++] = ']';
      pos = p;
    }
  }

  private void box(PointCloudScene.Box box) {
    ascii("{\"corners\":[");
    double[] c = box.corners();
    for (int i = 0; i < PointCloudScene.Box.CORNERS; i++) {
      if (i > 0) {
        ascii(",");
      }
      list(c, 3 * i, 3);
    }
    ascii("],\"color\":");
    double[] color = box.color();
    list(color, 0, color.length);
    if (box.label().isPresent()) {
      ascii(",\"label\":");
      string(box.label().get());
    }
    if (box.score().isPresent()) {
      ascii(",\"score\":");
      ensure(ShortestDecimal.MAX_CHARS);
      pos = number(box.score().getAsDouble(), buf, pos);
    }
    ascii("}");
  }

  private void vector(PointCloudScene.Vector vector) {
    ascii("{\"start\":");
    double[] start = vector.start();
    list(start, 0, start.length);
    ascii(",\"end\":");
    double[] end = vector.end();
    list(end, 0, end.length);
    Optional<double[]> color = vector.color();
    if (color.isPresent()) {
      ascii(",\"color\":");
      list(color.get(), 0, color.get().length);
    }
    ascii("}");
  }

  private void list(double[] v, int from, int n) {
    ensure(2 + n * (ShortestDecimal.MAX_CHARS + 1));
    buf[pos++] = '[';
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        buf[pos++] = ',';
      }
      pos = number(v[from + i], buf, pos);
    }
    buf[pos++] = ']';
  }

  /** float32-exact values get float32's (shorter) digits; see the class comment. */
  private static int number(double v, byte[] b, int p) {
    int i = (int) v;
    if (i == v && i >= 0 && i < 1000 && Double.doubleToRawLongBits(v) >= 0) {
      return ShortestDecimal.writeSmallInt(i, b, p); // colours and categories, and not -0
    }
    float f = (float) v;
    return f == v ? ShortestDecimal.writeFloat(f, b, p) : ShortestDecimal.writeDouble(v, b, p);
  }

  /** A JSON string: quotes, backslashes and control characters escaped, the rest as UTF-8. */
  private void string(String s) {
    StringBuilder e = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"' -> e.append("\\\"");
        case '\\' -> e.append("\\\\");
        case '\n' -> e.append("\\n");
        case '\r' -> e.append("\\r");
        case '\t' -> e.append("\\t");
        default -> {
          if (ch < 0x20 || ch == '\u2028' || ch == '\u2029') {
            e.append(String.format("\\u%04x", (int) ch));
          } else {
            e.append(ch);
          }
        }
      }
    }
    raw(e.append('"').toString().getBytes(StandardCharsets.UTF_8));
  }

  private void ascii(String s) {
    ensure(s.length());
    for (int i = 0; i < s.length(); i++) {
      buf[pos++] = (byte) s.charAt(i);
    }
  }

  private void raw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, pos, bytes.length);
    pos += bytes.length;
  }

  private void ensure(int more) {
    if (buf.length - pos < more) {
      long next = Math.max((long) buf.length + (buf.length >> 1), (long) pos + more);
      if (next > Integer.MAX_VALUE - 8) {
        throw new PointCloudRejectedException("pts.json would be larger than 2 GB");
      }
      buf = Arrays.copyOf(buf, (int) next);
    }
  }
}
