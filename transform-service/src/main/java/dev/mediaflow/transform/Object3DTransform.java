package dev.mediaflow.transform;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediaflow.schemas.avro.MediaEvent;
import dev.mediaflow.schemas.avro.MediaObject;
import dev.mediaflow.schemas.avro.NdArray;
import dev.mediaflow.schemas.avro.Object3DPayload;
import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.transform.pointcloud.Object3DFileType;
import dev.mediaflow.transform.pointcloud.Object3DFiles;
import dev.mediaflow.transform.pointcloud.PlyWriter;
import dev.mediaflow.transform.pointcloud.PointCloud;
import dev.mediaflow.transform.pointcloud.PointCloudScene;
import dev.mediaflow.transform.pointcloud.PtsJsonReader;
import dev.mediaflow.transform.pointcloud.PtsJsonWriter;
import dev.mediaflow.transform.pointcloud.TruncatedPointCloud;
import dev.mediaflow.transform.pointcloud.TruncationPolicy;
import dev.mediaflow.transform.pointcloud.TruncationStrategy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Object3D events: point arrays and lidar scenes are truncated in the stream (never silently:
 * the original count and the truncation are recorded and warned about), written as the
 * reference's pts.json plus a binary PLY, and optionally archived at full resolution; mesh
 * files are stored as sent.
 */
final class Object3DTransform {
  static final String MEDIA_TYPE = "object3D";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Object3DTransform() {}

  static ProcessedMedia apply(MediaEvent event, Object3DPayload o, MediaRules rules) {
    PointCloudScene scene;
    if (o.getFile() != null) {
      String name = o.getFile().getName();
      Object3DFileType type = Object3DFiles.typeOf(name);
      byte[] content = OtherMedia.bytes(o.getFile());
      if (!type.isPointCloud()) {
        return OtherMedia.single(event, MEDIA_TYPE, content, type.extension(), type.contentType(),
            Map.of("file_type", type.extension()), List.of(), o.getCaption());
      }
      scene = Object3DFiles.readPointCloud(name, content);
    } else if (o.getPoints() != null) {
      scene = scene(o.getPoints(), o.getSceneJson());
    } else {
      throw new MediaRejectedException("object3D has neither points nor a file");
    }
    return cloud(event, scene, o.getCaption(), rules);
  }

  private static PointCloudScene scene(NdArray points, String sceneJson) {
    long[] shape = points.getShape().stream().mapToLong(Long::longValue).toArray();
    PointCloud cloud = PointCloud.fromArray(points.getDtype(), shape, points.getData());
    if (sceneJson == null) {
      return PointCloudScene.of(cloud);
    }
    try {
      // the scene's points travel as an array beside it; a placeholder point lets the reader check the rest
      ObjectNode node = (ObjectNode) JSON.readTree(sceneJson);
      node.putArray("points").addArray().add(0).add(0).add(0);
      return PtsJsonReader.read(node).withPoints(cloud);
    } catch (IOException | ClassCastException e) {
      throw new MediaRejectedException("scene is not a JSON object: " + e.getMessage());
    }
  }

  private static ProcessedMedia cloud(MediaEvent event, PointCloudScene scene, String caption, MediaRules rules) {
    TruncationPolicy policy = new TruncationPolicy(rules.pointLimit(),
        rules.keepEvenlyStrided() ? TruncationStrategy.STRIDED : TruncationStrategy.HEAD);
    TruncatedPointCloud kept = policy.apply(scene.points());
    List<MediaObject> objects = new ArrayList<>();
    objects.add(object(MEDIA_TYPE, "pts.json", "application/json", PtsJsonWriter.write(scene.withPoints(kept.cloud()))));
    objects.add(object("ply", "ply", "application/x-ply", PlyWriter.write(kept)));
    List<String> warnings = new ArrayList<>();
    if (kept.truncated()) {
      warnings.add("point cloud of " + kept.originalCount() + " points truncated to " + kept.keptCount()
          + " (" + kept.strategy().name().toLowerCase() + ")" + (rules.archiveFullClouds()
          ? "; the full cloud is archived" : "; set mediaflow.transform.pointcloud.archive=true to keep it"));
      if (rules.archiveFullClouds()) {
        objects.add(object("archive", "full.ply", "application/x-ply", PlyWriter.write(scene.points())));
      }
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("type", scene.type());
    meta.put("original_count", kept.originalCount());
    meta.put("kept_count", kept.keptCount());
    meta.put("truncated", kept.truncated());
    meta.put("strategy", kept.strategy().name().toLowerCase());
    meta.put("limit", rules.pointLimit());
    meta.put("columns", scene.points().columns());
    meta.put("boxes", scene.boxes().size());
    meta.put("vectors", scene.vectors().size());
    if (caption != null) {
      meta.put("caption", caption);
    }
    return OtherMedia.base(event, MEDIA_TYPE).setObjects(objects).setWarnings(warnings)
        .setMetadataJson(OtherMedia.json(meta)).build();
  }

  private static MediaObject object(String role, String extension, String contentType, byte[] data) {
    return new MediaObject(role, extension, contentType, ByteBuffer.wrap(data));
  }
}
