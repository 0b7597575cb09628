package dev.mediaflow.transform.video;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.Node;

/** A GIF decoded back with ImageIO: frames, per-frame delays and the NETSCAPE loop count. */
record GifFrames(List<BufferedImage> frames, List<Integer> delays, Integer loopCount, List<String> disposals) {

  static GifFrames read(byte[] gif) {
    ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(gif))) {
      reader.setInput(in, false);
      int n = reader.getNumImages(true);
      List<BufferedImage> frames = new ArrayList<>();
      List<Integer> delays = new ArrayList<>();
      List<String> disposals = new ArrayList<>();
      Integer loop = null;
      for (int i = 0; i < n; i++) {
        frames.add(reader.read(i));
        IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(i).getAsTree("javax_imageio_gif_image_1.0");
        for (Node c = root.getFirstChild(); c != null; c = c.getNextSibling()) {
          if (c.getNodeName().equals("GraphicControlExtension")) {
            IIOMetadataNode gce = (IIOMetadataNode) c;
            delays.add(Integer.parseInt(gce.getAttribute("delayTime")));
            disposals.add(gce.getAttribute("disposalMethod"));
          } else if (c.getNodeName().equals("ApplicationExtensions")) {
            for (Node a = c.getFirstChild(); a != null; a = a.getNextSibling()) {
              IIOMetadataNode app = (IIOMetadataNode) a;
              if ("NETSCAPE".equals(app.getAttribute("applicationID"))
                  && "2.0".equals(app.getAttribute("authenticationCode"))) {
                byte[] b = (byte[]) app.getUserObject();
                loop = (b[1] & 0xFF) | (b[2] & 0xFF) << 8;
              }
            }
          }
        }
      }
      return new GifFrames(frames, delays, loop, disposals);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      reader.dispose();
    }
  }

  int count() {
    return frames.size();
  }

  /** Pixel as 0xRRGGBB. */
  int rgb(int frame, int x, int y) {
    return frames.get(frame).getRGB(x, y) & 0xFFFFFF;
  }
}
