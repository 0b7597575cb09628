package dev.mediaflow.transform.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PixelArrayTest {

  @ParameterizedTest
  @CsvSource({"uint8,UINT8,1", "int8,INT8,1", "uint16,UINT16,2", "int16,INT16,2", "int32,INT32,4",
      "int64,INT64,8", "float32,FLOAT32,4", "float64,FLOAT64,8"})
  void shouldMapNumpyNamesToDtypes(String name, PixelArray.Dtype dtype, int width) {
    // Given / When
    PixelArray.Dtype parsed = PixelArray.Dtype.fromNumpyName(name);

    // Then
    assertThat(parsed).isEqualTo(dtype);
    assertThat(parsed.byteWidth()).isEqualTo(width);
    assertThat(parsed.numpyName()).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"float16", "uint32", "uint64", "bool", "complex64", "<f4", ""})
  void shouldRejectUnsupportedDtype(String name) {
    // Given / When / Then
    assertThatThrownBy(() -> PixelArray.Dtype.fromNumpyName(name))
        .isInstanceOf(ImageRejectedException.class)
        .hasMessageStartingWith("unsupported dtype '" + name + "'");
  }

  @Test
  void shouldRejectDataWhoseLengthDoesNotMatchShape() {
    // Given
    byte[] data = new byte[5 * 7 * 4 - 1];

    // When / Then
    assertThatThrownBy(() -> PixelArray.of(PixelArray.Dtype.FLOAT32, new long[] {5, 7}, data))
        .isInstanceOf(ImageRejectedException.class)
        .hasMessage("array data has 139 bytes but shape (5, 7) of float32 needs 140");
  }

  @Test
  void shouldRejectNegativeDimension() {
    // Given / When / Then
    assertThatThrownBy(() -> PixelArray.of(PixelArray.Dtype.UINT8, new long[] {-1, 7}, new byte[0]))
        .isInstanceOf(ImageRejectedException.class).hasMessageContaining("negative dimension");
  }

  @Test
  void shouldRejectElementCountBeyondJavaArrays() {
    // Given / When / Then
    assertThatThrownBy(() -> PixelArray.of(PixelArray.Dtype.UINT8, new long[] {65_536, 65_536}, new byte[0]))
        .isInstanceOf(ImageRejectedException.class).hasMessageStartingWith("array too large");
  }

  @Test
  void shouldRejectAnEmptyShapeWhoseOtherDimensionsOverflow() {
    // Given a zero that would hide (2^62)^2 elements: numpy refuses such a shape too
    long[] shape = {0, 1L << 62, 1L << 62};

    // When / Then
    assertThatThrownBy(() -> PixelArray.of(PixelArray.Dtype.UINT8, shape, new byte[0]))
        .isInstanceOf(ImageRejectedException.class).hasMessageStartingWith("array too large");
    assertThat(PixelArray.of(PixelArray.Dtype.UINT8, new long[] {0, 1 << 20}, new byte[0]).elementCount()).isZero();
  }

  @Test
  void shouldViewBufferFromItsPositionAsLittleEndian() {
    // Given
    ByteBuffer buffer = ByteBuffer.wrap(new byte[] {9, 9, 1, 0});
    buffer.position(2);

    // When
    PixelArray array = new PixelArray(PixelArray.Dtype.UINT16, new long[] {1, 1}, buffer);

    // Then
    assertThat(array.data().getShort(0)).isEqualTo((short) 1);
    assertThat(array.elementCount()).isEqualTo(1);
    assertThat(buffer.position()).as("caller's buffer untouched").isEqualTo(2);
  }

  @Test
  void shouldFormatShapesLikeNumpyTuples() {
    // Given / When / Then
    assertThat(PixelArray.shapeText(new long[] {})).isEqualTo("()");
    assertThat(PixelArray.shapeText(new long[] {7})).isEqualTo("(7,)");
    assertThat(PixelArray.shapeText(new long[] {5, 7, 3})).isEqualTo("(5, 7, 3)");
  }
}
