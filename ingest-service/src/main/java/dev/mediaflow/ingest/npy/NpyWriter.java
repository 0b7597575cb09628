package dev.mediaflow.ingest.npy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Writes a little-endian, row-major array as a version-1 {@code .npy} file, as {@code np.save} does. */
public final class NpyWriter {
  private static final Map<String, String> DESCR = Map.of(
      "uint8", "|u1", "int8", "|i1", "uint16", "<u2", "int16", "<i2",
      "int32", "<i4", "int64", "<i8", "float32", "<f4", "float64", "<f8");

  private NpyWriter() {}

  public static byte[] write(String dtype, long[] shape, byte[] littleEndianData) {
    String descr = DESCR.get(dtype);
    if (descr == null) {
      throw new IllegalArgumentException("unsupported dtype " + dtype);
    }
    StringBuilder shapeText = new StringBuilder("(");
    for (long dim : shape) {
      shapeText.append(dim).append(", ");
    }
    if (shape.length > 1) {
      shapeText.setLength(shapeText.length() - 2);
    } else if (shape.length == 1) {
      shapeText.setLength(shapeText.length() - 1);
    }
    shapeText.append(')');
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
    // magic(6) + version(2) + length(2) + header, padded with spaces to a multiple of 64, ending in \n
    int unpadded = 10 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream(10 + header.length() + littleEndianData.length);
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    out.write(header.length() & 0xff);
    out.write(header.length() >>> 8);
    out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(littleEndianData);
    return out.toByteArray();
  }
}
