package dev.mediaflow.transform.image;

import dev.mediaflow.transform.simd.Kernels;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PNG's five row filters (None, Sub, Up, Average, Paeth; PNG spec §9) and the score that
 * picks one per row: the sum of the filtered bytes' absolute values taken as signed bytes,
 * libpng's and Pillow's heuristic. Every implementation gives the same scores and bytes.
 *
 * <p>A row is {@code stride} bytes of {@code px} from {@code row}; the row above is
 * {@code up} from {@code u} (an all-zero row for the first one); {@code bpp} is the bytes
 * per pixel, the distance to the left neighbour.
 *
 * <p>{@link #active()}: the Vector API implementation when the numeric kernels chose theirs
 * ({@link Kernels#active()}: the incubator module is present and the CPU has vectors of at
 * least 256 bits; property {@code mediaflow.simd}), else the scalar one.
 */
interface PngFilters {
  /** Number of filter types; the type byte is 0 to 4. */
  int TYPES = 5;

  /** Adds each filter type's score for the row to {@code sums[type]}. */
  void scores(byte[] px, int row, byte[] up, int u, int stride, int bpp, long[] sums);

  /** Writes the row filtered with {@code type} to {@code out[o, o + stride)}. */
  void write(int type, byte[] px, int row, byte[] up, int u, int stride, int bpp, byte[] out, int o);

  /** {@code "scalar"} or {@code "vector"}. */
  String name();

  /**
   * Writes the row's best filter type to {@code out[o]} and the row filtered with it after it:
   * the lowest score wins, the lower type on a tie (as Pillow's loop over the types in order).
   */
  default void filterBest(byte[] px, int row, byte[] up, int u, int stride, int bpp, long[] sums, byte[] out,
      int o) {
    Arrays.fill(sums, 0);
    scores(px, row, up, u, stride, bpp, sums);
    int best = 0;
    for (int type = 1; type < TYPES; type++) {
      if (sums[type] < sums[best]) {
        best = type;
      }
    }
    out[o] = (byte) best;
    write(best, px, row, up, u, stride, bpp, out, o + 1);
  }

  /** The implementation this JVM uses (see the class comment). */
  static PngFilters active() {
    return Choice.ACTIVE;
  }

  /** The scalar implementation. */
  static PngFilters scalar() {
    return ScalarPngFilters.INSTANCE;
  }

  /** Holds the choice made at class initialization. */
  final class Choice {
    private static final Logger LOG = LoggerFactory.getLogger(PngFilters.class);
    static final PngFilters ACTIVE = choose(Kernels.active().name());

    private Choice() {}

    /** The vector filters when the numeric kernels are the vector ones ({@code kernels}), else scalar. */
    static PngFilters choose(String kernels) {
      if (!kernels.equals("vector")) {
        return ScalarPngFilters.INSTANCE;
      }
      try {
        // by name: the class links against the incubator module, which Kernels found present
        return (PngFilters) Class.forName("dev.mediaflow.transform.image.VectorPngFilters")
            .getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException | LinkageError e) {
        LOG.warn("Vector API PNG filters unavailable ({}); using the scalar ones", e.toString());
        return ScalarPngFilters.INSTANCE;
      }
    }
  }
}
