package dev.mediaflow.embedded;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The example queries of {@code docs/QUERIES.md}, parsed: each {@code ### } section's title, its
 * {@code sql} block and the {@code result} block after it (a header line and rows, cells split by
 * {@code |}). Tests run the file itself, so the documentation and the test cannot drift apart.
 */
record QueryDoc(String title, String sql, List<String> columns, List<List<String>> rows) {

  static final Path FILE = Path.of("../docs/QUERIES.md");
  private static final Pattern SECTION = Pattern.compile(
      "(?m)^### (.+)$[\\s\\S]*?^```sql\\n([\\s\\S]*?)^```$[\\s\\S]*?^```result\\n([\\s\\S]*?)^```$");
  private static final double TOLERANCE = 1e-9;

  /** Every query of the file, in order. */
  static List<QueryDoc> all() throws IOException {
    List<QueryDoc> queries = new ArrayList<>();
    Matcher m = SECTION.matcher(Files.readString(FILE));
    while (m.find()) {
      List<List<String>> lines = new ArrayList<>();
      for (String line : m.group(3).strip().split("\n")) {
        lines.add(Arrays.stream(line.split("\\|")).map(String::strip).toList());
      }
      queries.add(new QueryDoc(m.group(1).strip(), m.group(2).strip(), lines.get(0), lines.subList(1, lines.size())));
    }
    return queries;
  }

  /**
   * Whether a cell the database returned matches the documented one: {@code *} is any non-NULL
   * value, numbers are equal within 1e-9 (engines differ in integer and float types), text is equal.
   */
  static boolean matches(String documented, Object actual) {
    if (actual == null) {
      return documented.equals("NULL");
    }
    if (documented.equals("*")) {
      return true;
    }
    BigDecimal expected = number(documented);
    BigDecimal got = number(actual.toString());
    if (expected != null && got != null) {
      return expected.subtract(got).abs().doubleValue() <= TOLERANCE;
    }
    return documented.equals(actual.toString());
  }

  private static BigDecimal number(String text) {
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
