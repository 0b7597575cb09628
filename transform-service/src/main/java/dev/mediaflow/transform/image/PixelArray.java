package dev.mediaflow.transform.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.Objects;

/**
 * A dense n-dimensional numeric array as a producer sent it: numpy dtype, shape, and the
 * element bytes in row-major (C) order, little-endian.
 *
 * <p>{@code data} is kept as a little-endian view sharing the caller's bytes (no copy): its
 * position is 0 and its limit the byte count. The caller must not change the bytes while
 * the array is being processed. Only absolute reads are used, so one instance can be read
 * by several threads.
 *
 * <p>The constructor checks only what is needed to read the array safely (non-negative
 * dimensions, byte count matching the shape); image rules are checked by
 * {@link ImageProcessor}.
 */
public record PixelArray(Dtype dtype, long[] shape, ByteBuffer data) {

  /** Element types accepted for arrays, with numpy's names. */
  public enum Dtype {
    UINT8("uint8", 1, false, false),
    INT8("int8", 1, true, false),
    UINT16("uint16", 2, false, false),
    INT16("int16", 2, true, false),
    INT32("int32", 4, true, false),
    INT64("int64", 8, true, false),
    FLOAT32("float32", 4, true, true),
    FLOAT64("float64", 8, true, true);

    private final String numpyName;
    private final int byteWidth;
    private final boolean signed;
    private final boolean floating;

    Dtype(String numpyName, int byteWidth, boolean signed, boolean floating) {
      this.numpyName = numpyName;
      this.byteWidth = byteWidth;
      this.signed = signed;
      this.floating = floating;
    }

    /** numpy's name, e.g. {@code "float32"}. */
    public String numpyName() {
      return numpyName;
    }

    /** Bytes per element. */
    public int byteWidth() {
      return byteWidth;
    }

    public boolean isSigned() {
      return signed;
    }

    public boolean isFloating() {
      return floating;
    }

    /**
     * The dtype for a numpy name ({@code "uint8"}, …, {@code "float64"}; case-insensitive).
     *
     * @throws ImageRejectedException for any other name
     */
    public static Dtype fromNumpyName(String name) {
      if (name != null) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Dtype d : values()) {
          if (d.numpyName.equals(n)) {
            return d;
          }
        }
      }
      throw new ImageRejectedException("unsupported dtype '" + name
          + "' (supported: uint8, int8, uint16, int16, int32, int64, float32, float64)");
    }

    @Override
    public String toString() {
      return numpyName;
    }
  }

  /**
   * @throws ImageRejectedException if a dimension is negative, the element count (of the
   *     non-zero dimensions) does not fit a Java array, or the byte count does not match
   *     dtype and shape
   */
  public PixelArray {
    Objects.requireNonNull(dtype, "dtype");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(data, "data");
    shape = shape.clone();
    // numpy's rule, with a Java array's bound: the non-zero dimensions must multiply to a size
    // that fits, even when a zero makes the array empty, so that strides computed from the shape
    // (products of max(dim, 1)) never overflow either
    long nonZero = 1;
    boolean empty = false;
    for (long dim : shape) {
      if (dim < 0) {
        throw new ImageRejectedException("negative dimension in shape " + shapeText(shape));
      }
      empty |= dim == 0;
      if (dim > 0 && nonZero > (Integer.MAX_VALUE - 8) / dim) {
        throw new ImageRejectedException("array too large: shape " + shapeText(shape)
            + " has more than " + (Integer.MAX_VALUE - 8) + " elements");
      }
      nonZero *= Math.max(dim, 1);
    }
    long count = empty ? 0 : nonZero;
    long expectedBytes = count * dtype.byteWidth;
    if (data.remaining() != expectedBytes) {
      throw new ImageRejectedException("array data has " + data.remaining() + " bytes but shape "
          + shapeText(shape) + " of " + dtype.numpyName + " needs " + expectedBytes);
    }
    data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Wraps a byte array (little-endian, row-major) without copying it. */
  public static PixelArray of(Dtype dtype, long[] shape, byte[] data) {
    return new PixelArray(dtype, shape, ByteBuffer.wrap(data));
  }

  /** The shape (a copy). */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Number of dimensions. */
  public int ndim() {
    return shape.length;
  }

  /** Number of elements (product of the shape). */
  public int elementCount() {
    return data.remaining() / dtype.byteWidth;
  }

  long dim(int i) {
    return shape[i];
  }

  /** numpy's tuple notation: {@code ()}, {@code (7,)}, {@code (5, 7, 3)}. */
  public static String shapeText(long[] shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(shape[i]);
    }
    return b.append(')').toString();
  }

  @Override
  public String toString() {
    return "PixelArray[" + dtype.numpyName + " " + shapeText(shape) + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PixelArray p && p.dtype == dtype && java.util.Arrays.equals(p.shape, shape)
        && p.data.equals(data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * dtype.hashCode() + java.util.Arrays.hashCode(shape)) + data.hashCode();
  }
}
