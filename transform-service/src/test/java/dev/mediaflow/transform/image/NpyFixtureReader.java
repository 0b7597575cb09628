package dev.mediaflow.transform.image;

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
 * Test-only reader for numpy {@code .npy} files (format versions 1-3) as written by
 * {@code np.save}: parses the header dict ({@code descr}, {@code fortran_order},
 * {@code shape}); supports little-endian ({@code <}) and byte-order-free ({@code |})
 * descriptors of the dtypes the image kernel accepts. Not a production parser.
 */
final class NpyFixtureReader {

  /** A parsed file: the raw element bytes stay little-endian, row-major. */
  record Npy(String descr, boolean fortranOrder, long[] shape, byte[] data) {
    PixelArray.Dtype dtype() {
      return switch (descr) {
        case "|u1", "<u1" -> PixelArray.Dtype.UINT8;
        case "|i1", "<i1" -> PixelArray.Dtype.INT8;
        case "<u2" -> PixelArray.Dtype.UINT16;
        case "<i2" -> PixelArray.Dtype.INT16;
        case "<i4" -> PixelArray.Dtype.INT32;
        case "<i8" -> PixelArray.Dtype.INT64;
        case "<f4" -> PixelArray.Dtype.FLOAT32;
        case "<f8" -> PixelArray.Dtype.FLOAT64;
        default -> throw new IllegalArgumentException("unsupported descr " + descr);
      };
    }

    PixelArray toPixelArray() {
      return PixelArray.of(dtype(), shape, data);
    }

    /** Unsigned values of a uint8 array. */
    int[] unsignedBytes() {
      if (dtype() != PixelArray.Dtype.UINT8) {
        throw new IllegalStateException("not uint8: " + descr);
      }
      int[] v = new int[data.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = data[i] & 0xFF;
      }
      return v;
    }
  }

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private NpyFixtureReader() {}

  static Npy read(byte[] file) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (file.length < 10 || file[i] != MAGIC[i]) {
        throw new IllegalArgumentException("not an .npy file");
      }
    }
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    int major = file[6] & 0xFF;
    int headerLength;
    int headerStart;
    if (major == 1) {
      headerLength = b.getShort(8) & 0xFFFF;
      headerStart = 10;
    } else if (major == 2 || major == 3) {
      headerLength = b.getInt(8);
      headerStart = 12;
    } else {
      throw new IllegalArgumentException("unsupported .npy version " + major);
    }
    String header = new String(file, headerStart, headerLength,
        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    String descr = group(DESCR, header, "descr");
    if (descr.startsWith(">")) {
      throw new IllegalArgumentException("big-endian .npy not supported: " + descr);
    }
    boolean fortran = group(FORTRAN, header, "fortran_order").equals("True");
    if (fortran) {
      throw new IllegalArgumentException("fortran_order arrays not supported");
    }
    List<Long> dims = new ArrayList<>();
    for (String part : group(SHAPE, header, "shape").split(",")) {
      if (!part.isBlank()) {
        dims.add(Long.parseLong(part.trim().replace("L", "")));
      }
    }
    long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
    int dataStart = headerStart + headerLength;
    byte[] data = new byte[file.length - dataStart];
    System.arraycopy(file, dataStart, data, 0, data.length);
    Npy npy = new Npy(descr, false, shape, data);
    long count = 1;
    for (long d : shape) {
      count *= d;
    }
    if (count * npy.dtype().byteWidth() != data.length) {
      throw new IllegalArgumentException("data has " + data.length + " bytes, header says "
          + count + " x " + npy.dtype().byteWidth());
    }
    return npy;
  }

  static Npy readResource(String path) {
    try (InputStream in = NpyFixtureReader.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no resource " + path);
      }
      return read(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String group(Pattern p, String header, String key) {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new IllegalArgumentException("no '" + key + "' in .npy header: " + header);
    }
    return m.group(1);
  }
}
