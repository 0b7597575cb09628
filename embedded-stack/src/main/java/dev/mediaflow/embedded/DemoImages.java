package dev.mediaflow.embedded;

import dev.mediaflow.ingest.client.LogCallRequest;
import dev.mediaflow.ingest.npy.NpyWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import javax.imageio.ImageIO;

/**
 * The images a demo training run logs at one step: one per dtype and normalization branch,
 * a channels-first tensor and an encoded PNG file, so every path of the image rules runs.
 */
final class DemoImages {
  /** Items per step that should be stored. */
  static final int GOOD_PER_STEP = 6;

  private DemoImages() {}

  /** The log call for one step; with {@code withBadItem} it adds a 5-channel array, which must be rejected. */
  static LogCallRequest logCall(long step, boolean withBadItem) {
    String bad = withBadItem ? ", {\"_type\": \"image\", \"array\": \"bad\", \"caption\": \"5 channels\"}" : "";
    String json = "{\"step\": " + step + ", \"data\": {\"loss\": " + (1.0 / (step + 1))
        + ", \"examples\": ["
        + "{\"_type\": \"image\", \"array\": \"rgb8\", \"caption\": \"uint8 RGB gradient\"},"
        + "{\"_type\": \"image\", \"array\": \"gray01\", \"caption\": \"float32 in [0,1]\"},"
        + "{\"_type\": \"image\", \"array\": \"signed\", \"caption\": \"float64 in [-1,1]\", \"file_type\": \"jpg\"},"
        + "{\"_type\": \"image\", \"array\": \"wide\", \"caption\": \"int16 RGBA beyond 255 (clipped)\"},"
        + "{\"_type\": \"image\", \"tensor\": \"chw\", \"caption\": \"CHW float32 tensor\"},"
        + "{\"_type\": \"image\", \"file\": \"png\", \"caption\": \"an encoded PNG file\"}" + bad + "]}}";
    LogCallRequest call = new LogCallRequest(json)
        .part("rgb8", "rgb8.npy", "application/octet-stream", rgbGradient(step))
        .part("gray01", "gray01.npy", "application/octet-stream", float32Unit(step))
        .part("signed", "signed.npy", "application/octet-stream", float64Signed(step))
        .part("wide", "wide.npy", "application/octet-stream", int16Wide(step))
        .part("chw", "chw.npy", "application/octet-stream", chwTensor(step))
        .part("png", "frame-" + step + ".png", "image/png", encodedPng(step));
    if (withBadItem) {
      call.part("bad", "bad.npy", "application/octet-stream",
          NpyWriter.write("uint8", new long[] {8, 8, 5}, new byte[8 * 8 * 5]));
    }
    return call;
  }

  private static byte[] rgbGradient(long step) {
    int h = 64;
    int w = 64;
    byte[] data = new byte[h * w * 3];
    for (int y = 0, i = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        data[i++] = (byte) (x * 4);
        data[i++] = (byte) (y * 4);
        data[i++] = (byte) (step * 30);
      }
    }
    return NpyWriter.write("uint8", new long[] {h, w, 3}, data);
  }

  private static byte[] float32Unit(long step) {
    int h = 48;
    int w = 64;
    ByteBuffer data = le(h * w * 4);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        data.putFloat((float) (0.5 + 0.5 * Math.sin((x + step) / 6.0) * Math.cos(y / 5.0)));
      }
    }
    return NpyWriter.write("float32", new long[] {h, w}, data.array());
  }

  private static byte[] float64Signed(long step) {
    int n = 32;
    ByteBuffer data = le(n * n * 3 * 8);
    for (int i = 0; i < n * n * 3; i++) {
      data.putDouble(Math.sin(i * 0.05 + step));
    }
    return NpyWriter.write("float64", new long[] {n, n, 3}, data.array());
  }

  private static byte[] int16Wide(long step) {
    int n = 24;
    ByteBuffer data = le(n * n * 4 * 2);
    for (int i = 0; i < n * n * 4; i++) {
      data.putShort((short) ((i * 7 + step * 13) % 600 - 100));
    }
    return NpyWriter.write("int16", new long[] {n, n, 4}, data.array());
  }

  private static byte[] chwTensor(long step) {
    int c = 3;
    int n = 40;
    ByteBuffer data = le(c * n * n * 4);
    for (int ch = 0; ch < c; ch++) {
      for (int i = 0; i < n * n; i++) {
        data.putFloat(((i + ch * 50 + step) % 100) / 100f);
      }
    }
    return NpyWriter.write("float32", new long[] {c, n, n}, data.array());
  }

  private static byte[] encodedPng(long step) {
    BufferedImage image = new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 20; y++) {
      for (int x = 0; x < 30; x++) {
        image.setRGB(x, y, (int) ((x * 8) << 16 | (y * 12) << 8 | (step * 40 & 0xff)));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  private static ByteBuffer le(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }
}
