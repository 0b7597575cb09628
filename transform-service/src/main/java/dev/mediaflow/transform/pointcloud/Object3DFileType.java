package dev.mediaflow.transform.pointcloud;

/** The 3D file types wandb's {@code Object3D} accepts, by file-name ending. */
public enum Object3DFileType {
  OBJ("obj", "model/obj"),
  GLTF("gltf", "model/gltf+json"),
  GLB("glb", "model/gltf-binary"),
  /** Babylon.js scene, a JSON document. */
  BABYLON("babylon", "application/json"),
  STL("stl", "model/stl"),
  /** A point cloud or lidar scene, see {@link PtsJsonReader}. */
  PTS_JSON("pts.json", "application/json");

  private final String extension;
  private final String contentType;

  Object3DFileType(String extension, String contentType) {
    this.extension = extension;
    this.contentType = contentType;
  }

  /** The ending without the leading dot, lower case: {@code obj}, ..., {@code pts.json}. */
  public String extension() {
    return extension;
  }

  /** The media type to store the file with. */
  public String contentType() {
    return contentType;
  }

  /** Whether the file is a point cloud the pipeline parses (pts.json) rather than a mesh. */
  public boolean isPointCloud() {
    return this == PTS_JSON;
  }

  @Override
  public String toString() {
    return extension;
  }
}
