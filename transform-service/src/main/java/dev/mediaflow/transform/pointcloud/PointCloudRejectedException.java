package dev.mediaflow.transform.pointcloud;

import dev.mediaflow.transform.MediaRejectedException;

/** A point cloud, scene or 3D file breaks one of the Object3D rules. */
public class PointCloudRejectedException extends MediaRejectedException {
  private static final long serialVersionUID = 1L;

  public PointCloudRejectedException(String reason) {
    super(reason);
  }

  public PointCloudRejectedException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
