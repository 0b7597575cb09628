package dev.mediaflow.transform.pointcloud;

import java.util.Locale;
import java.util.Objects;

/** 3D files as producers send them: the type from the name, and point clouds parsed. */
public final class Object3DFiles {
  private static final String SUPPORTED = "obj, gltf, glb, babylon, stl, pts.json";

  private Object3DFiles() {}

  /**
   * The file's type from its name's ending, case-insensitively: {@code scan.OBJ} is obj,
   * {@code frame_07.pts.json} is pts.json. A plain {@code .json} (or a name that is only
   * {@code pts.json}) is not a point cloud file.
   *
   * @throws PointCloudRejectedException for any other ending
   */
  public static Object3DFileType typeOf(String fileName) {
    if (fileName != null) {
      String name = fileName.strip().toLowerCase(Locale.ROOT);
      for (Object3DFileType type : Object3DFileType.values()) {
        if (name.endsWith("." + type.extension())) {
          return type;
        }
      }
    }
    throw new PointCloudRejectedException("unsupported 3D file type "
        + (fileName == null ? "(no file name)" : "'" + fileName + "'")
        + " (supported: " + SUPPORTED + ")");
  }

  /**
   * Parses a pts.json file, so that it can be truncated and written as PLY.
   *
   * @throws PointCloudRejectedException if the name is not a pts.json name or the content
   *     breaks an Object3D rule
   */
  public static PointCloudScene readPointCloud(String fileName, byte[] content) {
    Objects.requireNonNull(content, "content");
    Object3DFileType type = typeOf(fileName);
    if (!type.isPointCloud()) {
      throw new PointCloudRejectedException("'" + fileName + "' is a " + type
          + " file, not a point cloud (only pts.json files hold one)");
    }
    return PtsJsonReader.read(content);
  }
}
