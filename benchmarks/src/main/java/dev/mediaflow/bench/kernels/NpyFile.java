package dev.mediaflow.bench.kernels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code .npy} file as {@code tools/bench/kernels.py} writes it (little-endian, C order):
 * numpy dtype name, shape and the raw element bytes. Only what the benchmarks read.
 */
public record NpyFile(String dtype, long[] shape, byte[] data) {
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<|])([a-z]\\d+)'");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
  private static final Map<String, String> DTYPES = Map.of(
      "u1", "uint8", "i1", "int8", "u2", "uint16", "i2", "int16",
      "i4", "int32", "i8", "int64", "f4", "float32", "f8", "float64");

  /** Reads {@code dir/name.npy}. */
  public static NpyFile read(Path dir, String name) {
    Path file = dir.resolve(name + ".npy");
    try {
      return parse(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + " (run tools/bench/run-kernels.sh,"
          + " which writes the inputs first)", e);
    }
  }

  static NpyFile parse(byte[] file) {
    int major = file[6];
    int headerLength = major == 1
        ? (file[8] & 0xFF) | (file[9] & 0xFF) << 8
        : (file[8] & 0xFF) | (file[9] & 0xFF) << 8 | (file[10] & 0xFF) << 16 | (file[11] & 0xFF) << 24;
    int start = major == 1 ? 10 : 12;
    String header = new String(file, start, headerLength, StandardCharsets.ISO_8859_1);
    if (header.contains("'fortran_order': True")) {
      throw new IllegalArgumentException("Fortran-ordered .npy not supported: " + header);
    }
    Matcher d = DESCR.matcher(header);
    Matcher s = SHAPE.matcher(header);
    if (!d.find() || !s.find() || !DTYPES.containsKey(d.group(2))) {
      throw new IllegalArgumentException("unexpected .npy header: " + header);
    }
    long[] shape = Arrays.stream(s.group(1).split(","))
        .map(String::trim).filter(t -> !t.isEmpty()).mapToLong(Long::parseLong).toArray();
    byte[] data = Arrays.copyOfRange(file, start + headerLength, file.length);
    return new NpyFile(DTYPES.get(d.group(2)), shape, data);
  }

  /** Number of elements. */
  public long count() {
    long n = 1;
    for (long dim : shape) {
      n *= dim;
    }
    return n;
  }
}
