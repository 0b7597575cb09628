package dev.mediaflow.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The two mixes: item keys, the payload each item carries (what the raw-Kafka baseline sends), file sizes. */
class LoadMixTest {

  @Test
  void shouldCarryOneArrayPayloadPerMediaItem() {
    LoadMix.Call call = new LoadMix(true, true).call(0);
    assertThat(call.itemKeys()).containsExactly("samples/0", "samples/1", "samples/2", "samples/3", "activations/0",
        "lidar/0");
    assertThat(call.payloads()).hasSameSizeAs(call.itemKeys());
    for (int i = 0; i < call.parts().size(); i++) {
      assertThat(call.payloads().get(i)).isSameAs(call.parts().get(i).bytes());
    }
  }

  @Test
  void shouldSendAlreadyEncodedFilesOfRealisticSizesAndAnInlineHistogram() throws Exception {
    LoadMix mix = LoadMix.passThrough();
    LoadMix.Call call = mix.call(3);
    assertThat(mix.name()).isEqualTo("passthrough");
    assertThat(call.itemKeys()).hasSize((int) mix.itemsPerCallAverage())
        .containsExactly("samples/0", "samples/1", "samples/2", "activations/0", "mesh/0");
    // the images are real PNG / JPEG files, 50–500 KB
    for (int i = 0; i < 3; i++) {
      byte[] file = call.payloads().get(i);
      assertThat(file.length).as("file %d", i).isBetween(50_000, 500_000);
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(file));
      assertThat(image).isNotNull();
      assertThat(call.parts().get(i).fileName()).endsWith(i == 0 ? ".png" : ".jpg");
    }
    // the histogram travels inline in the log JSON: its payload is that JSON
    String histogram = new String(call.payloads().get(3), StandardCharsets.UTF_8);
    assertThat(histogram).startsWith("{\"_type\": \"histogram\", \"np_histogram\": [[");
    assertThat(call.logJson()).contains("\"activations\": " + histogram);
    // the mesh is a binary glTF whose header length is its size
    byte[] glb = call.payloads().get(4);
    ByteBuffer header = ByteBuffer.wrap(glb).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(new String(glb, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("glTF");
    assertThat(header.getInt(8)).isEqualTo(glb.length);
    assertThat(call.logJson()).contains("{\"_type\": \"image\", \"file\": \"f0\"}",
        "{\"_type\": \"object3D\", \"file\": \"m0\"}");
  }
}
