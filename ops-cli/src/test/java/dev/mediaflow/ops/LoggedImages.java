package dev.mediaflow.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediaflow.ingest.npy.NpyWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/** Log calls of images, deterministic per (run, step): RGB and gray arrays, a PNG file, a JPEG. */
final class LoggedImages {
  static final Path PNG = Path.of("../transform-service/src/test/resources/fixtures/image/encoded/rgb_9x4.png");
  /** Good images in each call. */
  static final int PER_STEP = 4;

  final ObjectNode log;
  final Map<String, byte[]> parts = new HashMap<>();

  private LoggedImages(long step) {
    this.log = OpsStack.JSON.createObjectNode().put("step", step);
  }

  /** One step's call: {@value #PER_STEP} good images under "examples", plus a 5-channel array under "bad" if asked. */
  static LoggedImages step(String run, long step, boolean withBadItem) {
    LoggedImages call = new LoggedImages(step);
    Random random = new Random(run.hashCode() * 31L + step);
    ArrayNode examples = call.log.putObject("data").putArray("examples");
    examples.addObject().put("_type", "image").put("array", "rgb").put("caption", "rgb " + step);
    examples.addObject().put("_type", "image").put("array", "gray").put("mode", "L");
    examples.addObject().put("_type", "image").put("file", "cat.png");
    examples.addObject().put("_type", "image").put("array", "jpg").put("file_type", "jpg");
    call.parts.put("rgb", NpyWriter.write("uint8", new long[] {8, 6, 3}, bytes(random, 8 * 6 * 3)));
    call.parts.put("gray", NpyWriter.write("float32", new long[] {5, 7}, floats(random, 5 * 7)));
    call.parts.put("cat.png", OpsStack.read(PNG));
    call.parts.put("jpg", NpyWriter.write("uint8", new long[] {16, 16, 3}, bytes(random, 16 * 16 * 3)));
    if (withBadItem) {
      call.log.with("data").putObject("bad").put("_type", "image").put("array", "five");
      call.parts.put("five", NpyWriter.write("uint8", new long[] {4, 4, 5}, bytes(random, 80)));
    }
    return call;
  }

  private static byte[] bytes(Random random, int n) {
    byte[] data = new byte[n];
    random.nextBytes(data);
    return data;
  }

  private static byte[] floats(Random random, int n) {
    ByteBuffer data = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      data.putFloat(random.nextFloat());
    }
    return data.array();
  }
}
