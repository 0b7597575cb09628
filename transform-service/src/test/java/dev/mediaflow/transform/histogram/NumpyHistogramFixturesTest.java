package dev.mediaflow.transform.histogram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediaflow.transform.histogram.HistogramFixtures.Input;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of {@code fixtures/histogram/cases.json} (numpy 1.24's own answers, see
 * {@code tools/fixtures/make_histogram_fixtures.py}) must come out bit for bit: counts,
 * edge bits, edge dtype, dropped count and the stored JSON text; or the same rejection.
 */
class NumpyHistogramFixturesTest {

  static Stream<Arguments> results() {
    return HistogramFixtures.cases().stream().filter(c -> c.has("result"))
        .map(c -> Arguments.of(c.get("name").asText(), c));
  }

  static Stream<Arguments> errors() {
    return HistogramFixtures.cases().stream().filter(c -> c.has("error"))
        .map(c -> Arguments.of(c.get("name").asText(), c));
  }

  static Stream<Arguments> generated() {
    return HistogramFixtures.cases().stream().filter(c -> c.has("generator"))
        .map(c -> Arguments.of(c.get("name").asText(), c));
  }

  @Test
  void shouldCoverTheCasesTheSpecAsksFor() {
    // Given
    List<JsonNode> cases = HistogramFixtures.cases();

    // When
    List<String> dtypes = cases.stream().map(c -> c.get("dtype").asText()).distinct().toList();
    List<Integer> bins = cases.stream().map(c -> c.get("numBins").asInt()).distinct().toList();

    // Then
    assertThat(HistogramFixtures.manifest().get("numpy").asText()).startsWith("1.24.");
    assertThat(dtypes).containsExactlyInAnyOrder(
        "float64", "float32", "uint8", "int8", "uint16", "int16", "int32", "int64");
    assertThat(bins).contains(1, 64, 512);
    assertThat(cases).filteredOn(c -> c.has("generator"))
        .extracting(c -> c.get("dtype").asText() + ">=1e6:"
            + (c.get("shape").get(0).asInt() >= 1_000_000))
        .contains("float32>=1e6:true", "float64>=1e6:true");
    assertThat(cases).filteredOn(c -> c.get("policy").asText().equals("drop")).isNotEmpty();
    assertThat(cases).filteredOn(c -> c.has("error")).isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("generated")
  void shouldGenerateTheSameLargeInputsAsTheScript(String name, JsonNode c) {
    // Given
    JsonNode sample = c.get("generatedSample");

    // When
    Input in = HistogramFixtures.input(c);

    // Then
    for (Iterator<Map.Entry<String, JsonNode>> it = sample.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      double expected = Double.parseDouble(e.getValue().asText());
      assertThat(HistogramFixtures.element(in, Integer.parseInt(e.getKey())))
          .as("generated element %s", e.getKey()).isEqualTo(expected);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("results")
  void shouldReproduceNumpyHistogramExactly(String name, JsonNode c) {
    // Given
    Input in = HistogramFixtures.input(c);
    JsonNode expected = c.get("result");

    // When
    Histogram h = NumpyHistogram.compute(in.dtype(), in.data(), in.count(),
        c.get("numBins").asInt(), NonFinitePolicy.fromName(c.get("policy").asText()));

    // Then
    assertThat(h.counts()).containsExactly(longs(expected.get("counts")));
    assertThat(bits(h.edges())).as("edge bits (repr %s)", reprs(h.edges()))
        .containsExactly(hexBits(expected.get("edgesHex")));
    assertThat(reprs(h.edges())).containsExactlyElementsOf(strings(expected.get("edgesRepr")));
    boolean float32 = expected.get("edgesDtype").asText().equals("float32");
    assertThat(h.edgesFloat32()).isEqualTo(float32);
    if (float32) {
      for (double e : h.edges()) {
        assertThat(Double.doubleToRawLongBits((float) e)).isEqualTo(Double.doubleToRawLongBits(e));
      }
    }
    assertThat(h.droppedNonFinite()).isEqualTo(expected.get("dropped").asLong());
    assertThat(h.toJson()).isEqualTo(expected.get("json").asText());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void shouldRejectWhereNumpyRaises(String name, JsonNode c) {
    // Given
    Input in = HistogramFixtures.input(c);
    JsonNode error = c.get("error");

    // When
    HistogramRejectedException thrown = catchThrowableOfType(
        () -> NumpyHistogram.compute(in.dtype(), in.data(), in.count(),
            c.get("numBins").asInt(), NonFinitePolicy.fromName(c.get("policy").asText())),
        HistogramRejectedException.class);

    // Then
    assertThat(thrown).as("rejection").isNotNull();
    if (error.get("type").asText().equals("ValueError")) {
      assertThat(thrown.reason()).isEqualTo(error.get("message").asText());
    } else {
      assertThat(thrown.reason()).endsWith(
          "(numpy.histogram fails here with IndexError: " + error.get("message").asText() + ")");
    }
  }

  private static long[] longs(JsonNode a) {
    long[] out = new long[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asLong();
    }
    return out;
  }

  private static long[] hexBits(JsonNode a) {
    long[] out = new long[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Double.doubleToRawLongBits(Double.parseDouble(a.get(i).asText()));
    }
    return out;
  }

  private static long[] bits(double[] a) {
    long[] out = new long[a.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Double.doubleToRawLongBits(a[i]);
    }
    return out;
  }

  private static List<String> reprs(double[] a) {
    List<String> out = new ArrayList<>(a.length);
    for (double d : a) {
      out.add(PythonFloatRepr.repr(d));
    }
    return out;
  }

  private static List<String> strings(JsonNode a) {
    List<String> out = new ArrayList<>(a.size());
    a.forEach(n -> out.add(n.asText()));
    return out;
  }
}
