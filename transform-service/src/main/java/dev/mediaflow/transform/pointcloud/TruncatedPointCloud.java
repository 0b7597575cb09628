package dev.mediaflow.transform.pointcloud;

import java.util.Objects;

/**
 * A cloud after the point limit was applied, with what it took to get there.
 *
 * @param cloud the points kept (the original cloud itself when nothing was cut)
 * @param originalCount points the producer sent
 * @param truncated whether points were dropped
 * @param strategy the strategy of the policy applied (also when nothing was cut)
 */
public record TruncatedPointCloud(
    PointCloud cloud, int originalCount, boolean truncated, TruncationStrategy strategy) {

  public TruncatedPointCloud {
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(strategy, "strategy");
    if (truncated ? cloud.count() >= originalCount : cloud.count() != originalCount) {
      throw new IllegalArgumentException("kept " + cloud.count() + " of " + originalCount
          + " points is inconsistent with truncated=" + truncated);
    }
  }

  /** Points kept. */
  public int keptCount() {
    return cloud.count();
  }
}
