package dev.mediaflow.ingest.npy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.schemas.avro.NdArray;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hostile {@code .npy} headers: every one is refused with a reason, none throws anything else or allocates for it. */
class NpyLimitsTest {

  static Stream<Arguments> hostileShapes() {
    return Stream.of(
        Arguments.of("element count overflows 64 bits", "|u1", "(4294967296, 4294967296, 3)", 0, "overflows a 64-bit"),
        Arguments.of("byte count overflows to 0", "<f8", "(2305843009213693952,)", 0, "overflows a 64-bit"),
        Arguments.of("zero dimension hides an overflow (numpy refuses it)", "|u1", "(4294967296, 4294967296, 0)", 0,
            "overflows a 64-bit"),
        Arguments.of("dimension of 2^63", "|u1", "(9223372036854775808,)", 0, "above 2^63 - 1"),
        Arguments.of("dimension of 2^64", "|u1", "(18446744073709551616, 1)", 0, "above 2^63 - 1"),
        Arguments.of("non-numeric dimension", "|u1", "(abc, 3)", 0, "not a non-negative integer: abc"),
        Arguments.of("negative dimension", "|u1", "(-1, 3)", 0, "not a non-negative integer: -1"),
        Arguments.of("float dimension", "|u1", "(2.5,)", 0, "not a non-negative integer: 2.5"),
        Arguments.of("more bytes claimed than sent", "<f4", "(1000000, 1000)", 16, "shape and dtype need 4000000000"),
        Arguments.of("more than 64 dimensions", "|u1", "(" + String.join(", ", Collections.nCopies(65, "1")) + ")", 1,
            "65 dimensions"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileShapes")
  void shouldRefuseHostileShapeWithAReason(String name, String descr, String shape, int dataBytes, String reason) {
    // Given a header that claims the shape, followed by only dataBytes bytes
    byte[] file = npy(descr, shape, dataBytes);

    // When / Then
    assertThatThrownBy(() -> NpyReader.read(file)).isInstanceOf(NpyFormatException.class).hasMessageContaining(reason);
  }

  @Test
  void shouldReadAnEmptyArrayWithHugeButRepresentableDimensions() {
    // Given numpy's rule: the non-zero dimensions fit, one dimension is 0
    NdArray array = NpyReader.read(npy("<f8", "(0, 1099511627776)", 0));

    // Then
    assertThat(array.getShape()).containsExactly(0L, 1099511627776L);
    assertThat(array.getData().remaining()).isZero();
  }

  @Test
  void shouldRefuseAVersionTwoFileTooShortForItsHeaderLength() {
    byte[] file = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 1, 0};
    assertThatThrownBy(() -> NpyReader.read(file)).isInstanceOf(NpyFormatException.class).hasMessageContaining("truncated");
  }

  @Test
  void shouldCountElementsOrExplainTheOverflow() {
    assertThat(Shapes.elementCount(new long[] {2, 3, 4}, 8)).isEqualTo(24);
    assertThat(Shapes.elementCount(new long[] {}, 1)).isEqualTo(1);
    assertThat(Shapes.byteCount(new long[] {5, 0, 7}, 4)).isZero();
    assertThatThrownBy(() -> Shapes.elementCount(new long[] {1L << 31, 1L << 31, 2}, 2))
        .isInstanceOf(NpyFormatException.class).hasMessageContaining("(2147483648, 2147483648, 2) is too large");
  }

  private static byte[] npy(String descr, String shape, int dataBytes) {
    String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    out.write(header.length() & 0xff);
    out.write(header.length() >>> 8);
    out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(new byte[dataBytes]);
    return out.toByteArray();
  }
}
