package dev.mediaflow.transform.pointcloud;

/**
 * How a cloud above the point limit is cut down. Both keep the kept points in their original
 * order and are deterministic (the same cloud always gives the same points).
 */
public enum TruncationStrategy {
  /**
   * The first {@code limit} points: {@code arr[:limit]} in numpy. The default, so that what is
   * kept is predictable; unlike the reference UI (which keeps the tail) the cut is recorded.
   */
  HEAD,
  /**
   * Exactly {@code limit} points evenly strided over the whole cloud: point
   * {@code floor(i * n / limit)} for i in [0, limit), i.e. numpy's
   * {@code arr[(np.arange(limit) * n) // limit]}. The first point is always kept, the gaps
   * between kept points differ by at most one, so every region of a scan ordered by time or
   * by beam keeps its share of points instead of vanishing.
   */
  STRIDED
}
