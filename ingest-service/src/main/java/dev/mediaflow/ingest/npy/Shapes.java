package dev.mediaflow.ingest.npy;

import java.util.Arrays;

/**
 * Overflow-safe arithmetic on array shapes. numpy refuses a shape whose non-zero dimensions
 * multiply (with the item size) beyond a signed 64-bit size; so do we, with a reason, instead
 * of letting a {@code long} product wrap (to 0, or to a small number).
 */
public final class Shapes {
  private Shapes() {}

  /**
   * The number of elements of {@code shape} (0 when a dimension is 0).
   *
   * @throws NpyFormatException for a negative dimension, or when the non-zero dimensions
   *     times {@code itemSize} do not fit a signed 64-bit byte count
   */
  public static long elementCount(long[] shape, int itemSize) {
    long nonZeroBytes = itemSize;
    boolean empty = false;
    for (long dim : shape) {
      if (dim < 0) {
        throw new NpyFormatException("negative dimension in shape " + text(shape));
      }
      if (dim == 0) {
        empty = true;
        continue;
      }
      try {
        nonZeroBytes = Math.multiplyExact(nonZeroBytes, dim);
      } catch (ArithmeticException e) {
        throw new NpyFormatException("shape " + text(shape) + " is too large: its element count times "
            + itemSize + " bytes overflows a 64-bit size");
      }
    }
    return empty ? 0 : nonZeroBytes / itemSize;
  }

  /** {@link #elementCount} times {@code itemSize}: the bytes the data of such an array takes. */
  public static long byteCount(long[] shape, int itemSize) {
    return elementCount(shape, itemSize) * itemSize; // cannot overflow: checked above
  }

  /** numpy's tuple notation, e.g. {@code (5, 7, 3)} or {@code (7,)}. */
  public static String text(long[] shape) {
    String inner = Arrays.toString(shape);
    inner = inner.substring(1, inner.length() - 1);
    return "(" + inner + (shape.length == 1 ? ",)" : ")");
  }
}
