package dev.mediaflow.transform.pointcloud;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A lidar scene as wandb's {@code Object3D.from_point_cloud} builds it: points, 3D boxes and
 * vectors (arrows), of {@code type} {@code "lidar/beta"}, the only type the reference knows.
 * A bare list of points (the other pts.json form) is a scene without boxes and vectors.
 *
 * @param type always {@link #LIDAR_BETA}
 * @param points the cloud (n×3, n×4 or n×6)
 * @param boxes the boxes, in the producer's order (never null; copied)
 * @param vectors the vectors, in the producer's order (never null; copied)
 */
public record PointCloudScene(
    String type, PointCloud points, List<Box> boxes, List<Vector> vectors) {

  /** The only scene type. */
  public static final String LIDAR_BETA = "lidar/beta";

  /**
   * @throws PointCloudRejectedException if type is not {@code "lidar/beta"}
   */
  public PointCloudScene {
    if (!LIDAR_BETA.equals(type)) {
      throw new PointCloudRejectedException("scene type must be '" + LIDAR_BETA + "', got "
          + (type == null ? "none" : "'" + type + "'"));
    }
    Objects.requireNonNull(points, "points");
    boxes = boxes == null ? List.of() : List.copyOf(boxes);
    vectors = vectors == null ? List.of() : List.copyOf(vectors);
  }

  /** A scene of just these points. */
  public static PointCloudScene of(PointCloud points) {
    return new PointCloudScene(LIDAR_BETA, points, List.of(), List.of());
  }

  /** The same boxes and vectors around other points (e.g. a truncated cloud). */
  public PointCloudScene withPoints(PointCloud newPoints) {
    return new PointCloudScene(type, newPoints, boxes, vectors);
  }

  /**
   * A 3D box: 8 corners, a colour, an optional label and an optional score (the UI can hide
   * boxes below a score).
   *
   * @param corners the 8 corners [x, y, z], flat row-major (24 values); copied
   * @param color [r, g, b], each in [0, 255]; copied
   * @param label shown on the box
   * @param score shown on the box
   */
  public record Box(
      double[] corners, double[] color, Optional<String> label, OptionalDouble score) {
    /** Corners of a box. */
    public static final int CORNERS = 8;

    /**
     * @throws PointCloudRejectedException if there are not exactly 8 finite corners, the
     *     colour is not 3 values in [0, 255], or the score is not finite
     */
    public Box {
      Objects.requireNonNull(corners, "corners");
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(score, "score");
      if (corners.length != CORNERS * 3) {
        throw new PointCloudRejectedException("corners must be exactly 8 points [x, y, z], got "
            + (corners.length % 3 == 0
                ? corners.length / 3 + " points" : corners.length + " values"));
      }
      corners = corners.clone();
      for (int i = 0; i < corners.length; i++) {
        if (!Double.isFinite(corners[i])) {
          throw new PointCloudRejectedException("corner " + i / 3 + " is not finite");
        }
      }
      color = checkedColor(color);
      if (score.isPresent() && !Double.isFinite(score.getAsDouble())) {
        throw new PointCloudRejectedException("score must be a finite number");
      }
    }

    /** A box without label and score. */
    public static Box of(double[] corners, double[] color) {
      return new Box(corners, color, Optional.empty(), OptionalDouble.empty());
    }

    @Override
    public double[] corners() {
      return corners.clone();
    }

    @Override
    public double[] color() {
      return color.clone();
    }

    /** Corner i (0..7) as [x, y, z]. */
    public double[] corner(int i) {
      Objects.checkIndex(i, CORNERS);
      return Arrays.copyOfRange(corners, 3 * i, 3 * i + 3);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Box b && Arrays.equals(b.corners, corners)
          && Arrays.equals(b.color, color) && b.label.equals(label) && b.score.equals(score);
    }

    @Override
    public int hashCode() {
      return Objects.hash(Arrays.hashCode(corners), Arrays.hashCode(color), label, score);
    }

    @Override
    public String toString() {
      return "Box[corners=" + Arrays.toString(corners) + ", color=" + Arrays.toString(color)
          + ", label=" + label + ", score=" + score + "]";
    }
  }

  /**
   * An arrow from {@code start} to {@code end}.
   *
   * @param start [x, y, z]; copied
   * @param end [x, y, z]; copied
   * @param color [r, g, b], each in [0, 255], if given; copied
   */
  public record Vector(double[] start, double[] end, Optional<double[]> color) {
    /**
     * @throws PointCloudRejectedException if start or end is not 3 finite numbers or the
     *     colour is not 3 values in [0, 255]
     */
    public Vector {
      start = checkedPoint(start, "start");
      end = checkedPoint(end, "end");
      Objects.requireNonNull(color, "color");
      color = color.map(PointCloudScene::checkedColor);
    }

    /** A vector in the UI's default colour. */
    public static Vector of(double[] start, double[] end) {
      return new Vector(start, end, Optional.empty());
    }

    @Override
    public double[] start() {
      return start.clone();
    }

    @Override
    public double[] end() {
      return end.clone();
    }

    @Override
    public Optional<double[]> color() {
      return color.map(double[]::clone);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Vector v && Arrays.equals(v.start, start) && Arrays.equals(v.end, end)
          && Arrays.equals(v.color.orElse(null), color.orElse(null));
    }

    @Override
    public int hashCode() {
      return Objects.hash(Arrays.hashCode(start), Arrays.hashCode(end),
          Arrays.hashCode(color.orElse(null)));
    }

    @Override
    public String toString() {
      return "Vector[start=" + Arrays.toString(start) + ", end=" + Arrays.toString(end)
          + ", color=" + color.map(Arrays::toString).orElse("default") + "]";
    }
  }

  private static double[] checkedPoint(double[] p, String what) {
    Objects.requireNonNull(p, what);
    if (p.length != 3) {
      throw new PointCloudRejectedException(
          what + " must be [x, y, z], got " + p.length + " values");
    }
    for (double v : p) {
      if (!Double.isFinite(v)) {
        throw new PointCloudRejectedException(what + " is not finite");
      }
    }
    return p.clone();
  }

  private static double[] checkedColor(double[] c) {
    Objects.requireNonNull(c, "color");
    if (c.length != 3) {
      throw new PointCloudRejectedException("color must be [r, g, b], got " + c.length + " values");
    }
    for (double v : c) {
      if (!(v >= 0 && v <= 255)) {
        throw new PointCloudRejectedException("color value " + PointCloud.text(v)
            + " is outside [0, 255]");
      }
    }
    return c.clone();
  }
}
