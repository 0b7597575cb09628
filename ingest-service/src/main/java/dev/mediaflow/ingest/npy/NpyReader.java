package dev.mediaflow.ingest.npy;

import dev.mediaflow.schemas.avro.NdArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the NumPy {@code .npy} format (what {@code np.save} writes, versions 1–3) into our
 * canonical array form: little-endian, row-major. Big-endian and Fortran-ordered inputs are
 * converted; dtypes outside the media rules are refused with a reason.
 */
public final class NpyReader {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
  private static final Map<String, String> DTYPES = Map.of(
      "u1", "uint8", "i1", "int8", "u2", "uint16", "i2", "int16",
      "i4", "int32", "i8", "int64", "f4", "float32", "f8", "float64");

  /** numpy's NPY_MAXDIMS. */
  private static final int MAX_DIMENSIONS = 64;

  private NpyReader() {}

  /** Parses one {@code .npy} file; throws {@link NpyFormatException} naming what is wrong. */
  public static NdArray read(byte[] file) {
    ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength = readPreamble(in);
    String header = new String(file, in.position(), headerLength, StandardCharsets.ISO_8859_1);
    in.position(in.position() + headerLength);

    Matcher descr = find(DESCR, header, "descr");
    String dtype = DTYPES.get(descr.group(2) + descr.group(3));
    if (dtype == null) {
      throw new NpyFormatException("unsupported dtype '" + descr.group(2) + descr.group(3)
          + "' (supported: uint8, int8, uint16, int16, int32, int64, float32, float64)");
    }
    int width = Integer.parseInt(descr.group(3));
    boolean bigEndian = descr.group(1).equals(">");
    boolean fortran = find(FORTRAN, header, "fortran_order").group(1).equals("True");
    long[] shape = parseShape(find(SHAPE, header, "shape").group(1));

    // checked against the bytes actually received before anything is allocated
    long expected = Shapes.byteCount(shape, width);
    if (in.remaining() != expected) {
      throw new NpyFormatException("array data is " + in.remaining() + " bytes, shape and dtype need " + expected
          + " (" + Shapes.text(shape) + " of " + dtype + ")");
    }
    List<Long> shapeList = new ArrayList<>(shape.length);
    for (long dim : shape) {
      shapeList.add(dim);
    }
    boolean swap = bigEndian && width > 1;
    boolean relayout = fortran && shape.length > 1;
    if (!swap && !relayout) {
      // already canonical (what np.save writes on every common machine): a view of the file's
      // bytes, not a copy; the file's array is not written to afterwards
      ByteBuffer view = ByteBuffer.wrap(file, in.position(), (int) expected).slice();
      return NdArray.newBuilder().setDtype(dtype).setShape(shapeList).setData(view).build();
    }
    byte[] data = new byte[(int) expected];
    in.get(data);
    if (swap) {
      swapBytes(data, width);
    }
    if (relayout) {
      data = fortranToC(data, shape, width);
    }
    return NdArray.newBuilder().setDtype(dtype).setShape(shapeList).setData(ByteBuffer.wrap(data)).build();
  }

  private static int readPreamble(ByteBuffer in) {
    if (in.remaining() < 10) {
      throw new NpyFormatException("not a .npy file: too short");
    }
    for (byte b : MAGIC) {
      if (in.get() != b) {
        throw new NpyFormatException("not a .npy file: missing the \\x93NUMPY magic string");
      }
    }
    int major = in.get();
    in.get(); // minor version: no behaviour depends on it
    if (major < 1 || major > 3 || in.remaining() < (major == 1 ? 2 : 4)) {
      throw new NpyFormatException("not a .npy file: bad version " + major + " or truncated header length");
    }
    int length = major == 1 ? Short.toUnsignedInt(in.getShort()) : in.getInt();
    if (length < 0 || length > in.remaining()) {
      throw new NpyFormatException("not a .npy file: bad version " + major + " or header length " + length);
    }
    return length;
  }

  private static Matcher find(Pattern pattern, String header, String field) {
    Matcher m = pattern.matcher(header);
    if (!m.find()) {
      throw new NpyFormatException(".npy header has no usable '" + field + "': " + abbreviate(header.trim()));
    }
    return m;
  }

  private static long[] parseShape(String text) {
    String[] parts = text.split(",");
    List<Long> dims = new ArrayList<>();
    for (String part : parts) {
      String p = part.trim();
      if (!p.isEmpty()) {
        dims.add(dimension(p.endsWith("L") ? p.substring(0, p.length() - 1) : p, text));
      }
    }
    if (dims.size() > MAX_DIMENSIONS) {
      throw new NpyFormatException("shape has " + dims.size() + " dimensions, numpy allows at most " + MAX_DIMENSIONS);
    }
    return dims.stream().mapToLong(Long::longValue).toArray();
  }

  private static long dimension(String digits, String shape) {
    if (!digits.matches("\\d+")) {
      throw new NpyFormatException("shape (" + abbreviate(shape) + ") has a dimension that is not a non-negative"
          + " integer: " + abbreviate(digits));
    }
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new NpyFormatException("shape (" + abbreviate(shape) + ") has dimension " + abbreviate(digits)
          + ", above 2^63 - 1");
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }

  private static void swapBytes(byte[] data, int width) {
    for (int i = 0; i < data.length; i += width) {
      for (int a = i, b = i + width - 1; a < b; a++, b--) {
        byte t = data[a];
        data[a] = data[b];
        data[b] = t;
      }
    }
  }

  /** Re-lays a column-major array out in row-major order. */
  private static byte[] fortranToC(byte[] data, long[] shape, int width) {
    int n = shape.length;
    long[] fStrides = new long[n];
    long stride = 1;
    for (int d = 0; d < n; d++) {
      fStrides[d] = stride;
      stride *= shape[d];
    }
    byte[] out = new byte[data.length];
    long[] index = new long[n];
    int count = data.length / width;
    for (int c = 0; c < count; c++) {
      long f = 0;
      for (int d = 0; d < n; d++) {
        f += index[d] * fStrides[d];
      }
      System.arraycopy(data, (int) f * width, out, c * width, width);
      for (int d = n - 1; d >= 0; d--) {
        if (++index[d] < shape[d]) {
          break;
        }
        index[d] = 0;
      }
    }
    return out;
  }
}
