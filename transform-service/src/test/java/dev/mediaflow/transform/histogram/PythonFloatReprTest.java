package dev.mediaflow.transform.histogram;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link PythonFloatRepr} against CPython's {@code repr(float)}. */
class PythonFloatReprTest {

  @Test
  void shouldMatchPythonReprForEveryFixtureValue() {
    // Given
    JsonNode cases = HistogramFixtures.readJson("repr.json").get("cases");
    List<String> expected = new ArrayList<>();
    List<String> actual = new ArrayList<>();

    // When
    for (JsonNode c : cases) {
      double x = Double.parseDouble(c.get(0).asText());
      expected.add(c.get(0).asText() + " " + c.get(1).asText());
      actual.add(c.get(0).asText() + " " + PythonFloatRepr.repr(x));
    }

    // Then
    assertThat(cases.size()).isGreaterThan(4000);
    assertThat(actual).containsExactlyElementsOf(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0.0|0.0", "-0.0|-0.0", "1.0|1.0", "0.1|0.1", "100.0|100.0", "-2.5|-2.5",
      "1.0E16|1e+16", "1.0E15|1000000000000000.0", "1.0E-4|0.0001", "1.0E-5|1e-05",
      "4.9E-324|5e-324", "1.7976931348623157E308|1.7976931348623157e+308", "1.0E23|1e+23",
      "2.0E23|2e+23", "0.10000000149011612|0.10000000149011612", "Infinity|inf",
      "-Infinity|-inf", "NaN|nan"})
  void shouldFormatLikePython(String javaLiteral, String python) {
    // Given
    double x = Double.parseDouble(javaLiteral);

    // When
    String repr = PythonFloatRepr.repr(x);

    // Then
    assertThat(repr).isEqualTo(python);
  }

  @Test
  void shouldBeShorterThanJava17DoubleToStringWhereThatIsNotShortest() {
    // Given: JDK-4511638, fixed only in JDK 19
    double x = Double.MIN_VALUE;

    // When
    String repr = PythonFloatRepr.repr(x);

    // Then
    assertThat(Double.toString(x)).isEqualTo("4.9E-324");
    assertThat(repr).isEqualTo("5e-324");
    assertThat(Double.parseDouble(repr)).isEqualTo(x);
  }
}
