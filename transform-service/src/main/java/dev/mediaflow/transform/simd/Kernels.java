package dev.mediaflow.transform.simd;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hot loops of the numeric kernels, on primitive-array chunks the callers fill with bulk
 * copies. Every implementation gives bit-for-bit the same results (tests run both over the
 * numpy fixtures and random inputs with NaN, infinities, edges and odd lengths).
 *
 * <p><b>Choice.</b> {@link #active()} is chosen once per JVM from the system property
 * {@value #PROPERTY}: {@code auto} (the default) takes the Vector API implementation when the
 * incubator module {@code jdk.incubator.vector} is in the boot layer (the JVM was started with
 * {@code --add-modules jdk.incubator.vector}) and the CPU has vectors of at least 256 bits,
 * else the scalar one; {@code scalar} forces the scalar one (tests, benchmarks); {@code vector}
 * asks for the vector one and falls back, with a warning, when it cannot run. The vector class
 * is loaded only after the module check, so a JVM without the module never touches it.
 */
public interface Kernels {

  /** System property choosing the implementation: {@code auto}, {@code scalar} or {@code vector}. */
  String PROPERTY = "mediaflow.simd";

  /** Size of a slot array of the histogram loops: a power of two above 512 bins. */
  int SLOTS = 1024;

  /** The slot a skipped (non-finite) value is binned to: beyond every real bin. */
  int SKIPPED = SLOTS;

  /** {@code "scalar"} or {@code "vector"}. */
  String name();

  /**
   * Folds the sort keys of {@code a[0, len)} into {@code acc = {lo, hi}}: a float's bits
   * mapped so that signed int order is the float order (-0.0 below 0.0, NaN beyond the
   * infinities); see {@link #sortKey32}.
   */
  void keyRange(float[] a, int len, int[] acc);

  /** As {@link #keyRange(float[], int, int[])}, with 64-bit keys ({@link #sortKey64}). */
  void keyRange(double[] a, int len, long[] acc);

  /** {@code out[off + i] = op(a[i])} for i in [0, len), in float32 arithmetic. */
  void toUint8(float[] a, int len, ToUint8 op, byte[] out, int off);

  /** {@code out[off + i] = op(a[i])} for i in [0, len), in float64 arithmetic. */
  void toUint8(double[] a, int len, ToUint8 op, byte[] out, int off);

  /** Folds the plain min and max of {@code a[0, len)} into {@code acc = {lo, hi}}. */
  void intRange(int[] a, int len, int[] acc);

  /**
   * {@code out[off + i] = op(a[i])} for integer values (8- to 32-bit inputs widened to int):
   * UNIT {@code v * 255} (v is 0 or 1), SIGNED_UNIT {@code (int) (127.5 * (v + 1))} (v is
   * -1, 0 or 1), CLIP to [0, 255], CAST the low byte.
   */
  void toUint8(int[] a, int len, ToUint8 op, byte[] out, int off);

  /** Whether some byte of {@code a[off, off + len)}, read unsigned, is above 1. */
  boolean anyAboveOne(byte[] a, int off, int len);

  /**
   * numpy's float32 bin of each {@code x[i]}: {@code k = (int) ((x - first) * norm)} in
   * float32, {@code k == n} clamped to {@code n - 1}, then {@code k - 1} if
   * {@code x < lower[k]}, else {@code k + 1} if {@code x >= upper[k]}; written to
   * {@code slot[i]} masked to [0, {@link #SLOTS}). With {@code skipNonFinite} a NaN or
   * infinite x gets {@link #SKIPPED}; without, every x must be finite.
   */
  void binIndices(float[] x, int len, Bins32 bins, boolean skipNonFinite, int[] slot);

  /** As the float32 one, in float64 arithmetic. */
  void binIndices(double[] x, int len, Bins64 bins, boolean skipNonFinite, int[] slot);

  /**
   * A float32 binning: numpy's {@code first} and {@code norm} and each bin's edges
   * ({@link #SLOTS} entries each; {@code upper[n - 1]} is +inf).
   */
  record Bins32(float first, float norm, float[] lower, float[] upper, int n) {}

  /** A float64 binning, as {@link Bins32}. */
  record Bins64(double first, double norm, double[] lower, double[] upper, int n) {}

  /**
   * Whether the first {@code count} rows of {@code columns} values pass the point-cloud rules:
   * x y z finite; an n×4 category an integer in [1, 14]; n×6 colours in [0, 255].
   */
  boolean allValid(double[] v, int count, int columns);

  /** float32 bits to an int whose signed order is the float order (-0.0 below 0.0). */
  static int sortKey32(int bits) {
    return bits ^ ((bits >> 31) & 0x7FFFFFFF);
  }

  /** float64 bits to a long whose signed order is the double order (-0.0 below 0.0). */
  static long sortKey64(long bits) {
    return bits ^ ((bits >> 63) & 0x7FFFFFFFFFFFFFFFL);
  }

  /** The implementation this JVM uses (see the class comment). */
  static Kernels active() {
    return Choice.ACTIVE;
  }

  /**
   * The implementation this JVM uses and, for the scalar one, why: the start-up line that tells
   * an operator whether the JVM was started so that the SIMD kernels can run.
   */
  static String activeDescription() {
    return Choice.ACTIVE.name() + " (" + Choice.WHY + ")";
  }

  /** The scalar implementation. */
  static Kernels scalar() {
    return ScalarKernels.INSTANCE;
  }

  /** Holds the choice made at class initialization. */
  final class Choice {
    private static final Logger LOG = LoggerFactory.getLogger(Kernels.class);
    private static final String MODULE = "jdk.incubator.vector";
    static final Kernels ACTIVE = choose(System.getProperty(PROPERTY, "auto"));
    static final String WHY = why(System.getProperty(PROPERTY, "auto"), ACTIVE);

    private Choice() {}

    static Kernels choose(String wanted) {
      String w = wanted.trim().toLowerCase(Locale.ROOT);
      if (w.equals("scalar")) {
        return ScalarKernels.INSTANCE;
      }
      if (!w.equals("auto") && !w.equals("vector")) {
        throw new IllegalArgumentException(PROPERTY + " must be auto, scalar or vector, got '" + wanted + "'");
      }
      Kernels vector = vectorOrNull();
      if (vector == null && w.equals("vector")) {
        LOG.warn("{}=vector but the Vector API cannot run here (start the JVM with --add-modules {}"
            + " on a CPU with 256-bit vectors); using the scalar kernels", PROPERTY, MODULE);
      }
      return vector != null ? vector : ScalarKernels.INSTANCE;
    }

    static String why(String wanted, Kernels chosen) {
      if (chosen != ScalarKernels.INSTANCE) {
        return "Vector API, " + PROPERTY + "=" + wanted;
      }
      if (wanted.trim().equalsIgnoreCase("scalar")) {
        return PROPERTY + "=scalar";
      }
      return ModuleLayer.boot().findModule(MODULE).isEmpty()
          ? MODULE + " not in this JVM: start it with --add-modules " + MODULE
          : "this CPU has no 256-bit vectors";
    }

    /** The vector kernels, or null when the module is absent or the vectors too short. */
    static Kernels vectorOrNull() {
      if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
        return null;
      }
      try {
        // by name: the class links against the incubator module, so it is loaded only now
        Class<?> c = Class.forName("dev.mediaflow.transform.simd.VectorKernels");
        Kernels k = (Kernels) c.getDeclaredConstructor().newInstance();
        return ((VectorSupport) k).supported() ? k : null;
      } catch (ReflectiveOperationException | LinkageError e) {
        LOG.warn("Vector API kernels unavailable ({}); using the scalar kernels", e.toString());
        return null;
      }
    }
  }

  /** Implemented by the vector kernels: whether this CPU's vectors are wide enough. */
  interface VectorSupport {
    boolean supported();
  }
}
