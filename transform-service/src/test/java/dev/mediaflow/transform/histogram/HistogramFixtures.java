package dev.mediaflow.transform.histogram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediaflow.transform.image.PixelArray.Dtype;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test-only access to the numpy reference vectors written by
 * {@code tools/fixtures/make_histogram_fixtures.py}: the manifest, the stored {@code .npy}
 * inputs (C order, little-endian or byte-order-free descriptors only) and the splitmix64
 * generator that recreates the large inputs exactly as the script does.
 */
final class HistogramFixtures {

  static final String DIR = "/fixtures/histogram/";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");

  /** One case's input: dtype, element count and little-endian bytes. */
  record Input(Dtype dtype, int count, ByteBuffer data) {}

  private HistogramFixtures() {}

  static JsonNode manifest() {
    return readJson("cases.json");
  }

  static List<JsonNode> cases() {
    List<JsonNode> out = new ArrayList<>();
    manifest().get("cases").forEach(out::add);
    return out;
  }

  static JsonNode readJson(String name) {
    try (InputStream in = open(name)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The case's input, read from its .npy file or generated. */
  static Input input(JsonNode c) {
    Dtype dtype = Dtype.fromNumpyName(c.get("dtype").asText());
    if (c.has("generator")) {
      JsonNode g = c.get("generator");
      return new Input(dtype, g.get("count").asInt(), generate(g));
    }
    return readNpy(c.get("input").asText(), dtype);
  }

  /**
   * The script's generator: z_i = splitmix64(seed + i * golden), i = 1..count, turned into
   * floats with exact or singly rounded IEEE operations (see the script's docstring).
   */
  static ByteBuffer generate(JsonNode spec) {
    long seed = spec.get("seed").asLong();
    int count = spec.get("count").asInt();
    boolean f32 = spec.get("dtype").asText().equals("float32");
    String kind = spec.get("kind").asText();
    boolean uniform = kind.equals("uniform");
    if (!uniform && !kind.equals("grid")) {
      throw new IllegalArgumentException("unknown generator " + kind);
    }
    double scale = uniform ? Math.scalb(1.0, spec.get("scaleExp").asInt()) : 0;
    int shift = uniform ? 11 : 64 - spec.get("bits").asInt();
    double step = uniform ? 0 : Double.parseDouble(spec.get("step").asText());
    double offset = uniform ? 0 : Double.parseDouble(spec.get("offset").asText());
    ByteBuffer b = ByteBuffer.allocate(count * (f32 ? 4 : 8)).order(ByteOrder.LITTLE_ENDIAN);
    long s = seed;
    for (int i = 0; i < count; i++) {
      s += GOLDEN;
      long z = mix(s);
      double x;
      if (uniform) {
        double u = (z >>> shift) * 0x1.0p-53; // 53 bits: exact
        x = (u * 2.0 - 1.0) * scale; // exact
      } else {
        double q = z >>> shift;
        x = q * step + offset; // two roundings, as numpy's two ufuncs (Java never fuses)
      }
      if (f32) {
        b.putFloat(i * 4, (float) x);
      } else {
        b.putDouble(i * 8, x);
      }
    }
    return b;
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Element i of a generated input, widened to double. */
  static double element(Input in, int i) {
    return in.dtype() == Dtype.FLOAT32 ? in.data().getFloat(i * 4) : in.data().getDouble(i * 8);
  }

  static Input readNpy(String name, Dtype expected) {
    byte[] all;
    try (InputStream in = open(name)) {
      all = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if ((all[0] & 0xFF) != 0x93 || all[1] != 'N' || all[5] != 'Y') {
      throw new IllegalArgumentException(name + " is not a .npy file");
    }
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    int major = all[6];
    int headerLength = major == 1 ? b.getShort(8) & 0xFFFF : b.getInt(8);
    int headerStart = major == 1 ? 10 : 12;
    String header = new String(all, headerStart, headerLength, StandardCharsets.ISO_8859_1);
    Matcher d = DESCR.matcher(header);
    Matcher f = FORTRAN.matcher(header);
    if (!d.find() || !f.find() || f.group(1).equals("True")) {
      throw new IllegalArgumentException(name + ": unsupported header " + header);
    }
    String descr = d.group(1);
    if (descr.startsWith(">") || !descr.substring(1).equals(typeCode(expected))) {
      throw new IllegalArgumentException(name + ": descr " + descr + " is not " + expected);
    }
    int dataStart = headerStart + headerLength;
    int bytes = all.length - dataStart;
    ByteBuffer data = ByteBuffer.wrap(all, dataStart, bytes).slice();
    return new Input(expected, bytes / expected.byteWidth(), data);
  }

  private static String typeCode(Dtype dtype) {
    return switch (dtype) {
      case UINT8 -> "u1";
      case INT8 -> "i1";
      case UINT16 -> "u2";
      case INT16 -> "i2";
      case INT32 -> "i4";
      case INT64 -> "i8";
      case FLOAT32 -> "f4";
      case FLOAT64 -> "f8";
    };
  }

  private static InputStream open(String name) {
    InputStream in = HistogramFixtures.class.getResourceAsStream(DIR + name);
    if (in == null) {
      throw new IllegalArgumentException("missing fixture " + DIR + name
          + " (run /usr/bin/python3 tools/fixtures/make_histogram_fixtures.py)");
    }
    return in;
  }
}
