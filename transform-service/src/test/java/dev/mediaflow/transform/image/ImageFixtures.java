package dev.mediaflow.transform.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Access to the numpy fixtures made by tools/fixtures/make_image_fixtures.py. */
final class ImageFixtures {
  static final String DIR = "/fixtures/image/";

  private ImageFixtures() {}

  static JsonNode manifest() {
    try (InputStream in = ImageFixtures.class.getResourceAsStream(DIR + "cases.json")) {
      if (in == null) {
        throw new IllegalStateException("missing " + DIR + "cases.json; run "
            + "/usr/bin/python3 tools/fixtures/make_image_fixtures.py");
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] resource(String name) {
    try (InputStream in = ImageFixtures.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no resource " + DIR + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static NpyFixtureReader.Npy npy(String name) {
    return NpyFixtureReader.read(resource(name));
  }

  static BufferedImage decode(byte[] encoded) {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(encoded));
      if (image == null) {
        throw new IllegalStateException("ImageIO could not decode the output");
      }
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Decoded samples, row-major, bands in color-component order (R, G, B, A / gray). */
  static int[] pixels(BufferedImage image) {
    return image.getRaster().getPixels(0, 0, image.getWidth(), image.getHeight(), (int[]) null);
  }

  /** Little-endian bytes of the given values. */
  static byte[] float32(float... values) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }

  static byte[] float64(double... values) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      b.putDouble(v);
    }
    return b.array();
  }

  static byte[] int64(long... values) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      b.putLong(v);
    }
    return b.array();
  }

  static int[] unsigned(byte[] values) {
    int[] v = new int[values.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = values[i] & 0xFF;
    }
    return v;
  }
}
