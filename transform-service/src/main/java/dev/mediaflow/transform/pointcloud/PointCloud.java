package dev.mediaflow.transform.pointcloud;

import dev.mediaflow.transform.simd.Kernels;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A validated point cloud: {@link #count()} points of {@link Layout#columns()} values each,
 * as wandb's {@code Object3D} accepts them: n×3 ({@code x y z}), n×4 ({@code x y z category},
 * category an integer in [1, 14]) or n×6 ({@code x y z r g b}, colours in [0, 255]).
 *
 * <p>Values are kept as one flat row-major {@code double[]}, not {@code float[]}: every input
 * dtype converts to double exactly (int64 above 2^53 excepted), and real clouds need it:
 * the reference's own lidar example has x = 2566.571924017235, which float32 moves to
 * 2566.572021484375 (its steps there are 0.24 mm), and georeferenced clouds (x ~ 5e5 m)
 * would get 3 cm steps. The
 * writers narrow only when that is lossless: {@link PlyWriter} stores coordinates as float32
 * when every one of them is exactly a float32 (always true for float32 input), and
 * {@link PtsJsonWriter} prints such values with float32's shorter digits.
 *
 * <p>Colours need not be integers (the reference example has {@code 89.46617199365393}); PLY
 * rounds them to bytes, pts.json keeps them.
 *
 * <p>NaN or infinite coordinates are rejected, naming the point: JSON has no form for them
 * (Python writes the invalid token {@code NaN}, which browsers refuse to parse), and
 * dropping points silently would hide data loss. Producers should filter with
 * {@code arr[np.isfinite(arr).all(axis=1)]}.
 *
 * <p>Instances are immutable. A cloud made by {@link TruncationStrategy#HEAD} shares the
 * original's array (it reads only its own first rows).
 */
public final class PointCloud {
  /** Smallest category of an n×4 cloud. */
  public static final int MIN_CATEGORY = 1;
  /** Largest category of an n×4 cloud. */
  public static final int MAX_CATEGORY = 14;
  /** Most points a cloud can hold (its values must fit one Java array). */
  public static final int MAX_POINTS = (Integer.MAX_VALUE - 8) / 6;

  private static final String[] COLUMN_NAMES = {"x", "y", "z", "r", "g", "b"};

  /** What the columns of a point are. */
  public enum Layout {
    /** {@code x y z}. */
    XYZ(3),
    /** {@code x y z category}, category an integer in [1, 14]. */
    XYZ_CATEGORY(4),
    /** {@code x y z r g b}, colours in [0, 255]. */
    XYZ_RGB(6);

    private final int columns;

    Layout(int columns) {
      this.columns = columns;
    }

    /** Values per point: 3, 4 or 6. */
    public int columns() {
      return columns;
    }

    /**
     * The layout with that many columns.
     *
     * @throws PointCloudRejectedException unless columns is 3, 4 or 6
     */
    public static Layout ofColumns(int columns) {
      return switch (columns) {
        case 3 -> XYZ;
        case 4 -> XYZ_CATEGORY;
        case 6 -> XYZ_RGB;
        default -> throw new PointCloudRejectedException(
            "point cloud must be n×3, n×4 or n×6, got points of " + columns + " values");
      };
    }
  }

  private final Layout layout;
  private final int count;
  /** Row-major; may be longer than count × columns (a HEAD view), extra rows unused. */
  final double[] values;

  private PointCloud(Layout layout, double[] values, int count) {
    this.layout = layout;
    this.values = values;
    this.count = count;
  }

  /**
   * Decodes and validates a numeric array as a producer sent it.
   *
   * @param dtype numpy name: uint8, int8, uint16, int16, int32, int64, float32 or float64
   * @param shape must be (n, 3), (n, 4) or (n, 6)
   * @param data the elements, row-major, little-endian, from position to limit (not changed)
   * @throws PointCloudRejectedException for another dtype or shape, a byte count that does
   *     not match them, or a value breaking the rules (the reason names the point)
   */
  public static PointCloud fromArray(String dtype, long[] shape, ByteBuffer data) {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(data, "data");
    NumericDtype type = NumericDtype.fromNumpyName(dtype);
    if (shape.length != 2 || shape[0] < 0 || (shape[1] != 3 && shape[1] != 4 && shape[1] != 6)) {
      throw new PointCloudRejectedException(
          "point cloud must be n×3, n×4 or n×6, got " + shapeText(shape));
    }
    if (shape[0] > MAX_POINTS) {
      throw new PointCloudRejectedException("point cloud of " + shape[0]
          + " points is larger than the most this pipeline holds (" + MAX_POINTS + ")");
    }
    Layout layout = Layout.ofColumns((int) shape[1]);
    int count = (int) shape[0];
    long expected = (long) count * layout.columns * type.byteWidth();
    if (data.remaining() != expected) {
      throw new PointCloudRejectedException("point cloud data has " + data.remaining()
          + " bytes but shape " + shapeText(shape) + " of " + type.numpyName() + " needs "
          + expected);
    }
    return validated(layout, type.toDoubles(data, count * layout.columns), count);
  }

  /**
   * A cloud from row-major values (copied).
   *
   * @throws PointCloudRejectedException if the length is not a multiple of the layout's
   *     columns or a value breaks the rules
   */
  public static PointCloud of(Layout layout, double... rowMajor) {
    Objects.requireNonNull(layout, "layout");
    if (rowMajor.length % layout.columns != 0) {
      throw new PointCloudRejectedException("point cloud has " + rowMajor.length
          + " values, not a multiple of " + layout.columns);
    }
    return validated(layout, rowMajor.clone(), rowMajor.length / layout.columns);
  }

  /** Validates and takes ownership of {@code values} (the first count rows are used). */
  static PointCloud validated(Layout layout, double[] values, int count) {
    validate(layout, values, count);
    return new PointCloud(layout, values, count);
  }

  /** A cloud of this one's first {@code n} points, sharing the array. */
  PointCloud head(int n) {
    if (n < 0 || n > count) {
      throw new IndexOutOfBoundsException("head " + n + " of " + count);
    }
    return new PointCloud(layout, values, n);
  }

  /** A cloud of already validated rows (a subsample of a validated cloud). */
  static PointCloud trusted(Layout layout, double[] values, int count) {
    return new PointCloud(layout, values, count);
  }

  private static void validate(Layout layout, double[] v, int count) {
    // the kernels answer whether all rows pass; the loop below then finds and names the point
    if (Kernels.active().allValid(v, count, layout.columns)) {
      return;
    }
    int cols = layout.columns;
    for (int i = 0, o = 0; i < count; i++, o += cols) {
      // one combined test per point keeps the common path to a single branch
      if (!(Math.abs(v[o]) <= Double.MAX_VALUE && Math.abs(v[o + 1]) <= Double.MAX_VALUE
          && Math.abs(v[o + 2]) <= Double.MAX_VALUE)) {
        int bad = !Double.isFinite(v[o]) ? 0 : !Double.isFinite(v[o + 1]) ? 1 : 2;
        throw new PointCloudRejectedException("point " + i + " has a non-finite coordinate: "
            + COLUMN_NAMES[bad] + " = " + v[o + bad]);
      }
      if (cols == 4) {
        double c = v[o + 3];
        if (!(c >= MIN_CATEGORY && c <= MAX_CATEGORY && c == Math.rint(c))) {
          throw new PointCloudRejectedException("point " + i + " has category " + text(c)
              + "; categories are integers in [" + MIN_CATEGORY + ", " + MAX_CATEGORY + "]");
        }
      } else if (cols == 6) {
        for (int j = 3; j < 6; j++) {
          double c = v[o + j];
          if (!(c >= 0 && c <= 255)) {
            throw new PointCloudRejectedException("point " + i + " has colour "
                + COLUMN_NAMES[j] + " = " + text(c) + "; colours are in [0, 255]");
          }
        }
      }
    }
  }

  /** A number as the writers print it (NaN and infinities as Java does). */
  static String text(double v) {
    return Double.isFinite(v) ? ShortestDecimal.toString(v) : Double.toString(v);
  }

  /** numpy's tuple notation: {@code (7,)}, {@code (5, 7, 3)}. */
  static String shapeText(long[] shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      b.append(i > 0 ? ", " : "").append(shape[i]);
    }
    return b.append(')').toString();
  }

  public Layout layout() {
    return layout;
  }

  /** Number of points. */
  public int count() {
    return count;
  }

  /** Values per point: 3, 4 or 6. */
  public int columns() {
    return layout.columns;
  }

  /** {@code (count, columns)}, as numpy would say. */
  public long[] shape() {
    return new long[] {count, layout.columns};
  }

  public boolean isEmpty() {
    return count == 0;
  }

  /** Value {@code column} of point {@code point}. */
  public double get(int point, int column) {
    Objects.checkIndex(point, count);
    Objects.checkIndex(column, layout.columns);
    return values[point * layout.columns + column];
  }

  /** The values, row-major (a copy of exactly count × columns values). */
  public double[] toArray() {
    return Arrays.copyOf(values, count * layout.columns);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PointCloud p) || p.layout != layout || p.count != count) {
      return false;
    }
    int n = count * layout.columns;
    return Arrays.equals(values, 0, n, p.values, 0, n);
  }

  @Override
  public int hashCode() {
    int h = 31 * layout.hashCode() + count;
    int n = count * layout.columns;
    for (int i = 0; i < n; i++) {
      long bits = Double.doubleToLongBits(values[i]);
      h = 31 * h + (int) (bits ^ (bits >>> 32));
    }
    return h;
  }

  @Override
  public String toString() {
    return "PointCloud[" + layout + ", " + count + " points]";
  }
}
