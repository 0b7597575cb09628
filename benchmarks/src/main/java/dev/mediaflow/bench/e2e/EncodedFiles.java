package dev.mediaflow.bench.e2e;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Already-encoded files for the pass-through mix, made with the JDK's encoders. */
final class EncodedFiles {
  private EncodedFiles() {}

  /** A smooth RGB picture (gradients and waves) with uniform noise of ±{@code noise} levels. */
  static BufferedImage picture(int width, int height, int noise, SplittableRandom random) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    double phase = random.nextDouble() * 6;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int rgb = 0;
        for (int c = 0; c < 3; c++) {
          double s = 127 + 100 * Math.sin(phase + c + x / 37.0) * Math.cos(y / 41.0) + random.nextInt(-noise, noise + 1);
          rgb = rgb << 8 | Math.min(255, Math.max(0, (int) s));
        }
        image.setRGB(x, y, rgb);
      }
    }
    return image;
  }

  static byte[] png(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] jpeg(BufferedImage image, float quality) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.setOutput(stream);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /**
   * A binary glTF 2.0 file: a JSON chunk describing one triangle mesh, and a BIN chunk of
   * {@code vertices} float32 positions and uint32 indices (the layout a .glb has; the pipeline
   * stores it as sent).
   */
  static byte[] glb(int vertices, SplittableRandom random) {
    ByteBuffer bin = ByteBuffer.allocate(vertices * 12 + vertices * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < vertices * 3; i++) {
      bin.putFloat((float) random.nextDouble(-1, 1));
    }
    for (int i = 0; i < vertices; i++) {
      bin.putInt(i);
    }
    String json = "{\"asset\":{\"version\":\"2.0\"},\"buffers\":[{\"byteLength\":" + bin.capacity() + "}],"
        + "\"bufferViews\":[{\"buffer\":0,\"byteLength\":" + vertices * 12 + "},{\"buffer\":0,\"byteOffset\":"
        + vertices * 12 + ",\"byteLength\":" + vertices * 4 + "}],\"accessors\":[{\"bufferView\":0,"
        + "\"componentType\":5126,\"count\":" + vertices + ",\"type\":\"VEC3\",\"min\":[-1,-1,-1],\"max\":[1,1,1]},"
        + "{\"bufferView\":1,\"componentType\":5125,\"count\":" + vertices + ",\"type\":\"SCALAR\"}],"
        + "\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":0},\"indices\":1}]}],"
        + "\"nodes\":[{\"mesh\":0}],\"scenes\":[{\"nodes\":[0]}],\"scene\":0}";
    byte[] jsonBytes = json.getBytes(StandardCharsets.UTF_8);
    int jsonLength = (jsonBytes.length + 3) / 4 * 4; // chunks are 4-byte aligned, JSON padded with spaces
    ByteBuffer out = ByteBuffer.allocate(12 + 8 + jsonLength + 8 + bin.capacity()).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(0x46546C67).putInt(2).putInt(out.capacity()); // "glTF", version, total length
    out.putInt(jsonLength).putInt(0x4E4F534A).put(jsonBytes); // "JSON"
    for (int i = jsonBytes.length; i < jsonLength; i++) {
      out.put((byte) ' ');
    }
    out.putInt(bin.capacity()).putInt(0x004E4942).put(bin.array()); // "BIN\0"
    return out.array();
  }
}
