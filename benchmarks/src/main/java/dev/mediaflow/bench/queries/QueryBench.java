package dev.mediaflow.bench.queries;

import dev.mediaflow.metadata.MetadataDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times every query of {@code docs/QUERIES.md} on PostgreSQL over generated data: 1,000,000
 * items, 5,000,000 boxes and scores, 100,000 histograms (see {@code bench/queries-data.sql}).
 * The schema is created by the store's own migrations (so the indexes are exactly the
 * migrations'), filled with {@code generate_series}, and dropped at the end.
 *
 * <p>Each query runs once to warm the cache, then {@code reps} times under
 * {@code EXPLAIN (ANALYZE)}; the median planning and execution times are printed as a Markdown
 * table, once with the server's settings and once without parallel workers.
 *
 * <p>Arguments: {@code [jdbcUrl] [docs/QUERIES.md] [reps]}.
 */
public final class QueryBench {
  private static final Pattern QUERY = Pattern.compile(
      "(?m)^### (Q\\d+)\\. (.+)$[\\s\\S]*?^```sql\\n([\\s\\S]*?)^```$");
  private static final Pattern TIME = Pattern.compile("(Planning|Execution) Time: ([0-9.]+) ms");

  private QueryBench() {
  }

  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    Path doc = Path.of(args.length > 1 ? args[1] : "docs/QUERIES.md");
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    String schema = "bench_q_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    MetadataDatabase database = new MetadataDatabase(url, null, null, schema);
    try {
      database.migrate();
      try (Connection c = database.connect()) {
        System.out.println("PostgreSQL " + c.getMetaData().getDatabaseProductVersion() + ", schema " + schema);
        generate(c);
        String queries = Files.readString(doc);
        System.out.println("server defaults:");
        run(c, queries, reps);
        // on a small shared machine, starting parallel workers can cost more than the work itself
        try (Statement s = c.createStatement()) {
          s.execute("SET max_parallel_workers_per_gather = 0");
        }
        System.out.println("max_parallel_workers_per_gather = 0:");
        run(c, queries, reps);
      }
    } finally {
      try (Connection c = database.connect(); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
        System.out.println("dropped schema " + schema);
      }
    }
  }

  private static void generate(Connection c) throws IOException, SQLException {
    String script;
    try (InputStream in = QueryBench.class.getResourceAsStream("/bench/queries-data.sql")) {
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    long begin = System.nanoTime();
    try (Statement s = c.createStatement()) {
      for (String statement : script.split(";\\n")) {
        String sql = statement.lines().filter(l -> !l.startsWith("--")).reduce("", (a, b) -> a + b + "\n").strip();
        if (sql.isEmpty()) {
          continue;
        }
        long start = System.nanoTime();
        s.execute(sql);
        System.out.printf(Locale.ROOT, "  %-60s %7.1f s%n", sql.lines().findFirst().orElse("").strip(),
            (System.nanoTime() - start) / 1e9);
      }
      System.out.printf(Locale.ROOT, "generated in %.0f s:%s%n", (System.nanoTime() - begin) / 1e9, sizes(s));
    }
  }

  private static String sizes(Statement s) throws SQLException {
    StringBuilder out = new StringBuilder();
    for (String table : List.of("media_item", "media_box", "media_box_score", "media_class", "histogram_bin",
        "media_facts")) {
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
        rs.next();
        out.append(String.format(Locale.ROOT, " %s %,d", table, rs.getLong(1)));
      }
    }
    return out.toString();
  }

  private static void run(Connection c, String doc, int reps) throws SQLException {
    System.out.println("| query | question | rows | planning ms (median) | execution ms (median) | runs (ms) |");
    System.out.println("|---|---|---|---|---|---|");
    Matcher m = QUERY.matcher(doc);
    try (Statement s = c.createStatement()) {
      while (m.find()) {
        String sql = m.group(3).strip();
        int rows = 0;
        try (ResultSet rs = s.executeQuery(sql)) {
          while (rs.next()) {
            rows++;
          }
        }
        double[] planning = new double[reps];
        double[] execution = new double[reps];
        for (int i = 0; i < reps; i++) {
          double[] times = explain(s, sql);
          planning[i] = times[0];
          execution[i] = times[1];
        }
        System.out.printf(Locale.ROOT, "| %s | %s | %d | %.2f | %.2f | %s |%n", m.group(1), m.group(2), rows,
            median(planning), median(execution), Arrays.stream(execution)
                .mapToObj(t -> String.format(Locale.ROOT, "%.1f", t)).toList());
      }
    }
  }

  /** Planning and execution time of one {@code EXPLAIN (ANALYZE)} run, in ms. */
  private static double[] explain(Statement s, String sql) throws SQLException {
    double[] times = new double[2];
    List<String> plan = new ArrayList<>();
    try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE) " + sql)) {
      while (rs.next()) {
        plan.add(rs.getString(1));
        Matcher t = TIME.matcher(rs.getString(1));
        if (t.find()) {
          times[t.group(1).equals("Planning") ? 0 : 1] = Double.parseDouble(t.group(2));
        }
      }
    }
    if (System.getenv("BENCH_PLANS") != null) {
      plan.forEach(System.out::println);
    }
    return times;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
