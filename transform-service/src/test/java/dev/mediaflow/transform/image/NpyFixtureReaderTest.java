package dev.mediaflow.transform.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NpyFixtureReaderTest {

  @Test
  void shouldParseHeaderOfFixtureWrittenByNumpy() {
    // Given / When
    NpyFixtureReader.Npy npy = ImageFixtures.npy("float32_unit_5x7x3.in.npy");

    // Then
    assertThat(npy.descr()).isEqualTo("<f4");
    assertThat(npy.fortranOrder()).isFalse();
    assertThat(npy.shape()).containsExactly(5, 7, 3);
    assertThat(npy.data()).hasSize(5 * 7 * 3 * 4);
    assertThat(npy.dtype()).isEqualTo(PixelArray.Dtype.FLOAT32);
  }

  @Test
  void shouldReadByteOrderFreeUint8() {
    // Given / When
    NpyFixtureReader.Npy npy = ImageFixtures.npy("uint8_unit_5x7.expected.npy");

    // Then
    assertThat(npy.descr()).isEqualTo("|u1");
    assertThat(npy.shape()).containsExactly(5, 7);
  }

  @Test
  void shouldRejectBigEndianData() {
    // Given
    String header = "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }";
    byte[] file = new byte[10 + header.length() + 4];
    byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0};
    System.arraycopy(magic, 0, file, 0, 10);
    System.arraycopy(header.getBytes(StandardCharsets.ISO_8859_1), 0, file, 10, header.length());

    // When / Then
    assertThatThrownBy(() -> NpyFixtureReader.read(file)).hasMessageContaining("big-endian");
  }
}
