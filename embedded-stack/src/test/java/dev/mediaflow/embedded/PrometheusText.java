package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for tests: every line must
 * be a {@code # HELP}, a {@code # TYPE} or a sample of a family whose type was declared before it,
 * with well-formed labels and a number for a value; anything else fails the test.
 */
final class PrometheusText {
  private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
  private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|summary|histogram|untyped)");
  private static final Pattern SAMPLE = Pattern.compile(
      "(" + NAME + ")(\\{(" + NAME + "=\"(\\\\.|[^\"\\\\])*\")(," + NAME + "=\"(\\\\.|[^\"\\\\])*\")*,?\\})? (\\S+)( -?\\d+)?");

  /** Family name to type, in the order declared. */
  final Map<String, String> types = new LinkedHashMap<>();
  /** Sample name (labels dropped) to its last value. */
  final Map<String, Double> samples = new LinkedHashMap<>();
  /** Sample name with its labels as written (e.g. {@code a_total{kernel="png",}}) to its value. */
  final Map<String, Double> labelled = new LinkedHashMap<>();

  static PrometheusText parse(String text) {
    PrometheusText parsed = new PrometheusText();
    text.lines().filter(line -> !line.isBlank()).forEach(parsed::read);
    assertThat(parsed.samples).as("samples in the scrape").isNotEmpty();
    return parsed;
  }

  private void read(String line) {
    Matcher type = TYPE.matcher(line);
    if (type.matches()) {
      types.put(type.group(1), type.group(2));
      return;
    }
    if (HELP.matcher(line).matches()) {
      return;
    }
    Matcher sample = SAMPLE.matcher(line);
    assertThat(sample.matches()).as("a Prometheus text line: %s", line).isTrue();
    String name = sample.group(1);
    assertThat(types.keySet()).as("# TYPE declared before sample %s", line)
        .anyMatch(family -> name.equals(family) || name.startsWith(family + "_"));
    samples.put(name, value(sample.group(7), line));
    labelled.put(name + (sample.group(2) == null ? "" : sample.group(2)), value(sample.group(7), line));
  }

  private static double value(String text, String line) {
    return switch (text) {
      case "NaN" -> Double.NaN;
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> {
        try {
          yield Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new AssertionError("not a number in: " + line, e);
        }
      }
    };
  }

  /** Whether some sample's name starts with {@code prefix}. */
  boolean has(String prefix) {
    return samples.keySet().stream().anyMatch(name -> name.startsWith(prefix));
  }

  double value(String name) {
    assertThat(samples).containsKey(name);
    return samples.get(name);
  }
}
