package dev.mediaflow.transform.pointcloud;

import java.util.Objects;

/**
 * The point limit and how to honour it. Clouds at or below the limit pass untouched; larger
 * ones are cut to exactly {@code limit} points and the result says so (never silently, unlike
 * the reference UI).
 *
 * @param limit most points kept, at least 1 ({@link #DEFAULT_LIMIT} by default, the limit of
 *     the reference UI)
 * @param strategy which points are kept
 */
public record TruncationPolicy(int limit, TruncationStrategy strategy) {
  /** The reference UI's limit. */
  public static final int DEFAULT_LIMIT = 300_000;
  /** The first 300,000 points. */
  public static final TruncationPolicy DEFAULT =
      new TruncationPolicy(DEFAULT_LIMIT, TruncationStrategy.HEAD);

  /**
   * @throws IllegalArgumentException if limit is below 1
   */
  public TruncationPolicy {
    Objects.requireNonNull(strategy, "strategy");
    if (limit < 1) {
      throw new IllegalArgumentException("point limit must be at least 1, got " + limit);
    }
  }

  /** Applies the limit. HEAD shares the cloud's array; STRIDED copies the kept rows. */
  public TruncatedPointCloud apply(PointCloud cloud) {
    int n = cloud.count();
    if (n <= limit) {
      return new TruncatedPointCloud(cloud, n, false, strategy);
    }
    PointCloud kept = strategy == TruncationStrategy.HEAD ? cloud.head(limit) : strided(cloud);
    return new TruncatedPointCloud(kept, n, true, strategy);
  }

  /**
   * Row i of the result is row floor(i * n / limit) of the cloud, walked incrementally
   * (quotient plus a carried remainder) so no division happens per point.
   */
  private PointCloud strided(PointCloud cloud) {
    int n = cloud.count();
    int cols = cloud.columns();
    double[] src = cloud.values;
    double[] out = new double[limit * cols];
    int step = n / limit;
    int rem = n % limit;
    int row = 0;
    int carry = 0;
    for (int i = 0, o = 0; i < limit; i++, o += cols) {
      int s = row * cols;
      for (int j = 0; j < cols; j++) {
        out[o + j] = src[s + j];
      }
      row += step;
      carry += rem;
      if (carry >= limit) {
        carry -= limit;
        row++;
      }
    }
    return PointCloud.trusted(cloud.layout(), out, limit);
  }
}
