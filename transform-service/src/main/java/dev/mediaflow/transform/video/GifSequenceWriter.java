package dev.mediaflow.transform.video;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Writes an animated GIF with ImageIO's GIF writer, in memory: every frame gets a Graphic
 * Control Extension with the same delay (disposal "none", no transparency), and the first
 * frame carries the NETSCAPE2.0 application extension with loop count 0 (loop forever), as
 * imageio/Pillow write for wandb ({@code loop=0}).
 *
 * <p>Frames with an {@link java.awt.image.IndexColorModel} are written with their palette as
 * given (exact); other frames are quantized to 256 colours by the writer's own palette builder.
 * Not thread-safe; one instance per encoding.
 */
final class GifSequenceWriter implements AutoCloseable {

  private static final String FORMAT = "javax_imageio_gif_image_1.0";

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final ImageOutputStream out = new MemoryCacheImageOutputStream(bytes);
  private final ImageWriter writer;
  private final int delayCentiseconds;
  private boolean first = true;

  /** @param delayCentiseconds delay after each frame, in hundredths of a second (0..65535) */
  GifSequenceWriter(int delayCentiseconds) {
    if (delayCentiseconds < 0 || delayCentiseconds > 0xFFFF) {
      throw new IllegalArgumentException("GIF delay out of range: " + delayCentiseconds);
    }
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("gif");
    if (!writers.hasNext()) {
      throw new IllegalStateException("no ImageIO GIF writer in this JVM");
    }
    this.writer = writers.next();
    this.delayCentiseconds = delayCentiseconds;
    writer.setOutput(out);
    try {
      writer.prepareWriteSequence(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Appends one frame; all frames must have the size of the first. */
  void add(BufferedImage frame) {
    ImageWriteParam param = writer.getDefaultWriteParam();
    IIOMetadata metadata = writer.getDefaultImageMetadata(
        ImageTypeSpecifier.createFromRenderedImage(frame), param);
    IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(FORMAT);
    // The default metadata carries a generic colour table; without it the writer uses the
    // frame's own palette (or builds one for an RGB frame).
    removeChild(root, "LocalColorTable");
    // ImageIO interlaces by default (Pillow does for frames of 16+ pixels a side); plain row
    // order is simpler for every decoder and compresses animated frames as well
    child(root, "ImageDescriptor").setAttribute("interlaceFlag", "FALSE");
    IIOMetadataNode control = child(root, "GraphicControlExtension");
    control.setAttribute("disposalMethod", "none");
    control.setAttribute("userInputFlag", "FALSE");
    control.setAttribute("transparentColorFlag", "FALSE");
    control.setAttribute("delayTime", Integer.toString(delayCentiseconds));
    control.setAttribute("transparentColorIndex", "0");
    if (first) {
      IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
      loop.setAttribute("applicationID", "NETSCAPE");
      loop.setAttribute("authenticationCode", "2.0");
      loop.setUserObject(new byte[] {1, 0, 0}); // sub-block 1, loop count 0 (little-endian) = forever
      child(root, "ApplicationExtensions").appendChild(loop);
      first = false;
    }
    try {
      metadata.setFromTree(FORMAT, root);
      writer.writeToSequence(new IIOImage(frame, null, metadata), param);
    } catch (IIOInvalidTreeException e) {
      throw new IllegalStateException("GIF metadata rejected by ImageIO", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ends the sequence and returns the file bytes. */
  byte[] finish() {
    try {
      writer.endWriteSequence();
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @Override
  public void close() {
    writer.dispose();
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void removeChild(IIOMetadataNode root, String name) {
    for (int i = root.getLength() - 1; i >= 0; i--) {
      if (root.item(i).getNodeName().equals(name)) {
        root.removeChild(root.item(i));
      }
    }
  }

  /** The named child of {@code root}, created when missing. */
  private static IIOMetadataNode child(IIOMetadataNode root, String name) {
    for (int i = 0; i < root.getLength(); i++) {
      if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
        return (IIOMetadataNode) root.item(i);
      }
    }
    IIOMetadataNode node = new IIOMetadataNode(name);
    root.appendChild(node);
    return node;
  }
}
