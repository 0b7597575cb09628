package dev.mediaflow.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class EncodedMediaTest {

  @Test
  void shouldHandBackTheDecodedArrayItselfWhenTheBufferSpansIt() {
    // Given a buffer as Avro's decoder makes it: its own array, all of it
    byte[] file = {1, 2, 3, 4, 5};

    // When / Then: no copy
    assertThat(EncodedMedia.bytesOf(ByteBuffer.wrap(file))).isSameAs(file);
  }

  @Test
  void shouldCopyExactlyTheRemainingBytesOfAnyOtherBuffer() {
    byte[] backing = {9, 1, 2, 3, 4, 9};
    ByteBuffer slice = ByteBuffer.wrap(backing, 1, 4).slice();
    ByteBuffer advanced = ByteBuffer.wrap(backing);
    advanced.position(1);
    advanced.limit(5);

    assertThat(EncodedMedia.bytesOf(slice)).containsExactly(1, 2, 3, 4).isNotSameAs(backing);
    assertThat(EncodedMedia.bytesOf(advanced)).containsExactly(1, 2, 3, 4);
    assertThat(advanced.position()).isEqualTo(1);
    assertThat(EncodedMedia.bytesOf(ByteBuffer.wrap(backing).asReadOnlyBuffer())).isEqualTo(backing).isNotSameAs(backing);
  }
}
