package dev.mediaflow.ingest.npy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediaflow.schemas.avro.NdArray;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Files written by numpy (tools/fixtures/make_npy_fixtures.py) read back to numpy's values. */
class NpyReaderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<String> cases() throws IOException {
    List<String> names = new ArrayList<>();
    expected().fieldNames().forEachRemaining(names::add);
    return names.stream();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void shouldReadNumpyFilesAsLittleEndianRowMajor(String name) throws IOException {
    // Given a file np.save wrote, and numpy's C-order values for it
    JsonNode want = expected().get(name);

    // When
    NdArray array = NpyReader.read(fixture(name + ".npy"));

    // Then
    assertThat(array.getDtype()).isEqualTo(want.get("dtype").asText());
    List<Long> shape = new ArrayList<>();
    want.get("shape").forEach(n -> shape.add(n.asLong()));
    assertThat(array.getShape()).isEqualTo(shape);
    assertThat(values(array)).isEqualTo(doubles(want.get("values")));
  }

  @Test
  void shouldRejectBooleanArraysNamingTheDtype() throws IOException {
    byte[] file = fixture("bool_unsupported.npy");
    assertThatThrownBy(() -> NpyReader.read(file))
        .isInstanceOf(NpyFormatException.class)
        .hasMessageContaining("unsupported dtype 'b1'");
  }

  @Test
  void shouldRejectBytesThatAreNotNpy() {
    assertThatThrownBy(() -> NpyReader.read("hello, this is not numpy".getBytes()))
        .isInstanceOf(NpyFormatException.class)
        .hasMessageContaining("magic");
  }

  @Test
  void shouldRejectTruncatedData() throws IOException {
    byte[] file = fixture("uint16_2d.npy");
    byte[] truncated = java.util.Arrays.copyOf(file, file.length - 3);
    assertThatThrownBy(() -> NpyReader.read(truncated)).hasMessageContaining("shape and dtype need 48");
  }

  @Test
  void shouldRoundTripThroughNpyWriter() {
    // Given
    byte[] data = {1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0};
    // When
    NdArray array = NpyReader.read(NpyWriter.write("int16", new long[] {2, 3}, data));
    // Then
    assertThat(array.getShape()).containsExactly(2L, 3L);
    assertThat(values(array)).containsExactly(1.0, 2.0, 3.0, 4.0, 5.0, 6.0);
  }

  @Test
  void shouldViewACanonicalFilesDataWithoutCopyingAndEncodeItAsACopyWouldBe() throws IOException {
    // Given a little-endian C-order file (what np.save writes)
    byte[] data = {1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0};
    byte[] file = NpyWriter.write("int16", new long[] {2, 3}, data);

    // When
    NdArray array = NpyReader.read(file);

    // Then its data is the file's own tail, not a copy
    assertThat(array.getData().array()).isSameAs(file);
    byte[] seen = new byte[array.getData().remaining()];
    array.getData().duplicate().get(seen);
    assertThat(seen).isEqualTo(data);
    // and Avro writes the view exactly as it writes a buffer of its own bytes
    NdArray copied = NdArray.newBuilder(array).setData(ByteBuffer.wrap(data.clone())).build();
    assertThat(avro(array)).isEqualTo(avro(copied));
  }

  private static byte[] avro(NdArray array) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    org.apache.avro.io.BinaryEncoder encoder = org.apache.avro.io.EncoderFactory.get().directBinaryEncoder(out, null);
    new org.apache.avro.specific.SpecificDatumWriter<NdArray>(NdArray.getClassSchema()).write(array, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static List<Double> values(NdArray array) {
    ByteBuffer data = array.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    List<Double> out = new ArrayList<>();
    while (data.hasRemaining()) {
      out.add(switch (array.getDtype()) {
        case "uint8" -> (double) (data.get() & 0xff);
        case "int8" -> (double) data.get();
        case "uint16" -> (double) (data.getShort() & 0xffff);
        case "int16" -> (double) data.getShort();
        case "int32" -> (double) data.getInt();
        case "int64" -> (double) data.getLong();
        case "float32" -> (double) data.getFloat();
        case "float64" -> data.getDouble();
        default -> throw new AssertionError(array.getDtype());
      });
    }
    return out;
  }

  private static List<Double> doubles(JsonNode values) {
    List<Double> out = new ArrayList<>();
    values.forEach(v -> out.add(v.asDouble()));
    return out;
  }

  private static JsonNode expected() throws IOException {
    return JSON.readTree(fixture("expected.json"));
  }

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in = NpyReaderTest.class.getResourceAsStream("/fixtures/npy/" + name)) {
      return in.readAllBytes();
    }
  }
}
