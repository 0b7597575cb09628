package dev.mediaflow.transform.histogram;

import java.util.Arrays;
import java.util.Objects;

/**
 * A histogram as the pipeline stores it (media-semantics.md, "Histogram"): bin counts and
 * the {@code binCount() + 1} bin edges, either computed from values by
 * {@link NumpyHistogram} or given as a precomputed pair (wandb's {@code np_histogram}).
 *
 * <p>Counts are whole numbers ({@link #counts()}) except for a precomputed pair given with
 * real-valued counts (e.g. {@code np.histogram(..., density=True)}), held in
 * {@link #realCounts()}; exactly one of the two is non-null. They are kept apart because
 * the stored JSON differs ({@code 3} versus {@code 3.0}), as it does in wandb.
 *
 * <p>{@code edges} hold numpy's edge values exactly. When numpy computed them in float32
 * (float32 input), {@code edgesFloat32} is set and every edge is a float32 value widened to
 * double without change.
 *
 * <p>Arrays are copied in and out, so instances are immutable.
 *
 * @param counts whole-number counts, or null when {@link #realCounts()} is set
 * @param realCounts real-valued counts of a precomputed pair, or null
 * @param edges bin edges, one more than there are bins
 * @param edgesFloat32 whether the edges are float32 values (numpy's dtype for float32 input)
 * @param droppedNonFinite how many NaN/infinite values {@link NonFinitePolicy#DROP} removed
 */
public record Histogram(
    long[] counts, double[] realCounts, double[] edges, boolean edgesFloat32,
    long droppedNonFinite) {

  /** The most bins a histogram may have (wandb's {@code Histogram.MAX_LENGTH}). */
  public static final int MAX_BINS = 512;

  /**
   * @throws HistogramRejectedException if the pair breaks a histogram rule (see
   *     {@link #fromPrecomputed(long[], double[])})
   */
  public Histogram {
    if ((counts == null) == (realCounts == null)) {
      throw new IllegalArgumentException("exactly one of counts and realCounts must be given");
    }
    Objects.requireNonNull(edges, "edges");
    if (droppedNonFinite < 0) {
      throw new IllegalArgumentException("droppedNonFinite < 0: " + droppedNonFinite);
    }
    counts = counts == null ? null : counts.clone();
    realCounts = realCounts == null ? null : realCounts.clone();
    edges = edges.clone();
    int bins = counts != null ? counts.length : realCounts.length;
    if (bins > MAX_BINS) {
      throw new HistogramRejectedException("histogram has " + bins + " bins; at most "
          + MAX_BINS + " are allowed");
    }
    if (edges.length != bins + 1) {
      throw new HistogramRejectedException("histogram has " + bins + " counts and "
          + edges.length + " edges; there must be exactly one more edge than counts");
    }
    requireFinite(edges, "edge");
    if (realCounts != null) {
      requireFinite(realCounts, "count");
    }
    if (edgesFloat32) {
      for (double e : edges) {
        if ((double) (float) e != e) {
          throw new IllegalArgumentException("edge " + e + " is not a float32 value");
        }
      }
    }
  }

  /**
   * A precomputed pair with whole-number counts, stored as given (numpy's
   * {@code np.histogram} output passed as wandb's {@code np_histogram}).
   *
   * @throws HistogramRejectedException unless {@code edges.length == counts.length + 1} and
   *     {@code counts.length <= 512}, or if an edge is NaN or infinite (JSON cannot hold it)
   */
  public static Histogram fromPrecomputed(long[] counts, double[] edges) {
    Objects.requireNonNull(counts, "counts");
    return new Histogram(counts, null, edges, false, 0);
  }

  /**
   * A precomputed pair with real-valued counts (e.g. a density), stored as given; its JSON
   * prints counts as floats, as wandb does for a float array.
   *
   * @throws HistogramRejectedException as {@link #fromPrecomputed(long[], double[])}, and if
   *     a count is NaN or infinite
   */
  public static Histogram fromPrecomputed(double[] counts, double[] edges) {
    Objects.requireNonNull(counts, "counts");
    return new Histogram(null, counts, edges, false, 0);
  }

  /** Number of bins. */
  public int binCount() {
    return edges.length - 1;
  }

  /** Whether the counts are real-valued ({@link #realCounts()} is set). */
  public boolean hasRealCounts() {
    return realCounts != null;
  }

  /** Whole-number counts (a copy), or null when {@link #hasRealCounts()}. */
  @Override
  public long[] counts() {
    return counts == null ? null : counts.clone();
  }

  /** Real-valued counts (a copy), or null unless {@link #hasRealCounts()}. */
  @Override
  public double[] realCounts() {
    return realCounts == null ? null : realCounts.clone();
  }

  /** The bin edges (a copy). */
  @Override
  public double[] edges() {
    return edges.clone();
  }

  /**
   * The stored form, byte for byte what wandb's Python produces with
   * {@code json.dumps({"_type": "histogram", "values": counts.tolist(), "bins":
   * edges.tolist()})}: {@code ", "} and {@code ": "} separators, whole counts as integers,
   * edges (and real counts) as Python's {@code repr(float)}, the shortest decimal that
   * round-trips the double. A float32 edge is printed as its double value, as
   * {@code tolist()} converts it (float32 0.1 prints as {@code 0.10000000149011612}).
   */
  public String toJson() {
    StringBuilder b = new StringBuilder(32 + 12 * edges.length + 24 * binCount());
    b.append("{\"_type\": \"histogram\", \"values\": [");
    int bins = binCount();
    for (int i = 0; i < bins; i++) {
      if (i > 0) {
        b.append(", ");
      }
      if (counts != null) {
        b.append(counts[i]);
      } else {
        b.append(PythonFloatRepr.repr(realCounts[i]));
      }
    }
    b.append("], \"bins\": [");
    for (int i = 0; i < edges.length; i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(PythonFloatRepr.repr(edges[i]));
    }
    return b.append("]}").toString();
  }

  private static void requireFinite(double[] values, String what) {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new HistogramRejectedException("histogram " + what + " " + i + " is "
            + PythonFloatRepr.repr(values[i]) + "; only finite numbers can be stored");
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Histogram h && Arrays.equals(h.counts, counts)
        && Arrays.equals(h.realCounts, realCounts) && Arrays.equals(h.edges, edges)
        && h.edgesFloat32 == edgesFloat32 && h.droppedNonFinite == droppedNonFinite;
  }

  @Override
  public int hashCode() {
    int h = Arrays.hashCode(counts);
    h = 31 * h + Arrays.hashCode(realCounts);
    h = 31 * h + Arrays.hashCode(edges);
    h = 31 * h + Boolean.hashCode(edgesFloat32);
    return 31 * h + Long.hashCode(droppedNonFinite);
  }

  @Override
  public String toString() {
    return "Histogram[" + binCount() + " bins over [" + PythonFloatRepr.repr(edges[0]) + ", "
        + PythonFloatRepr.repr(edges[edges.length - 1]) + "]"
        + (edgesFloat32 ? ", float32 edges" : "")
        + (droppedNonFinite > 0 ? ", dropped " + droppedNonFinite + " non-finite" : "") + "]";
  }
}
