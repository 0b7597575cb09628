package dev.mediaflow.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.infra.FreePort;
import dev.mediaflow.ingest.client.LogCallRequest;
import dev.mediaflow.ingest.npy.NpyWriter;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball as a user gets it: unpacked into an empty directory far from the source tree and
 * run with nothing but the JDK running this test ({@code JAVA_HOME}, a bare {@code PATH}):
 * {@code bin/mediaflow up} on a fixed port serves, one call logged with the key it printed is
 * stored, and SIGTERM stops it.
 */
class DistributionIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Path TARBALL = Path.of(System.getProperty("mediaflow.dist.tarball",
      "target/mediaflow-0.1.0-SNAPSHOT.tar.gz"));

  @TempDir
  Path dir;

  private Process up;

  @AfterEach
  void killLeftovers() {
    if (up != null && up.isAlive()) {
      up.descendants().forEach(ProcessHandle::destroyForcibly);
      up.destroyForcibly();
    }
  }

  @Test
  void unpackedTarballRunsUpWithOnlyAJdkAndStoresALoggedCall() throws Exception {
    long begin = System.nanoTime();
    Path home = unpack();
    assertThat(home.resolve("bin/mediaflow")).isExecutable();
    assertThat(home.resolve("config")).isDirectoryContaining("glob:**/ingest.properties")
        .isDirectoryContaining("glob:**/transform.properties").isDirectoryContaining("glob:**/sink.properties")
        .isDirectoryContaining("glob:**/init.properties").isDirectoryContaining("glob:**/query.properties");
    assertThat(home.resolve("logging/simplelogger.properties")).isRegularFile();
    assertThat(run(home, "help")).contains("up [--port 8080]", "ingest | transform | sink | query", "init");

    int port = FreePort.find();
    Path data = dir.resolve("data");
    Path log = dir.resolve("up.log");
    up = launcher(home, "up", "--port", Integer.toString(port), "--data-dir", data.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long startBegin = System.nanoTime();
    // 20-30 s on an idle 2-core machine; minutes when other builds share it
    awaitLog(log, "READY http://127.0.0.1:" + port, Duration.ofMinutes(5));
    long startMillis = millisSince(startBegin);

    String key = printedKey(Files.readString(log));
    assertThat(logImage(port, key)).isEqualTo(200);
    await(Duration.ofSeconds(60), () -> rows(data) == 1, "the logged image's row in " + data);

    // the launcher's other commands against the running stack: init finds what up provisioned, health is UP
    String upLog = Files.readString(log);
    // logging/simplelogger.properties is the one read (INFO lines from our code, Kafka's at warn), and
    // the launcher gave the JVM the Vector API module the transform's SIMD kernels need
    assertThat(upLog).contains("transform kernels: ").doesNotContain("not in this JVM")
        .doesNotContain("INFO org.apache.kafka");
    String init = run(home, Map.of(), "init", "--bootstrap-servers", printed(upLog, "Kafka bootstrap:"),
        "--schema-registry-url", printed(upLog, "schema registry:"), "--partitions", "4",
        "--replication-factor", "1", "--min-insync-replicas", "1");
    assertThat(init).contains("found   topic mediaflow.media.raw (partitions 4, replication 1",
        "found   schema mediaflow.media.raw-value", "0 created, 5 found, 0 with other settings");
    assertThat(exitCode(home, Map.of("MEDIAFLOW_INGEST_HTTP_PORT", Integer.toString(port)), "health"))
        .as("bin/mediaflow health on the gateway").isZero();
    assertQueryServesTheStoredRun(home, data, printed(upLog, "S3 endpoint (S3Proxy) up at"));

    long stopBegin = System.nanoTime();
    up.destroy(); // SIGTERM to the JVM (the launcher execs it)
    assertThat(up.waitFor(90, TimeUnit.SECONDS)).as("stopped on SIGTERM; log:%n%s", tail(log)).isTrue();
    assertThat(Files.readString(log)).contains("[up] stack stopped in");
    assertThat(exitCode(home, Map.of("MEDIAFLOW_INGEST_HTTP_PORT", Integer.toString(port)), "health"))
        .as("bin/mediaflow health with nothing serving").isNotZero();
    System.out.printf("[figures] distribution: unpack %d ms, bin/mediaflow up ready in %d ms, SIGTERM stop %d ms,"
        + " whole test %d ms%n", startBegin / 1_000_000 - begin / 1_000_000, startMillis, millisSince(stopBegin),
        millisSince(begin));
  }

  /**
   * {@code bin/mediaflow query} as its own process on the store {@code up} wrote: the run's item
   * count from the API, {@code /metrics}, {@code bin/mediaflow health} on its port, SIGTERM.
   */
  private void assertQueryServesTheStoredRun(Path home, Path data, String s3) throws Exception {
    int port = FreePort.find();
    Path log = dir.resolve("query.log");
    ProcessBuilder builder = launcher(home, "query").redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(Map.of("MEDIAFLOW_QUERY_JDBC_URL", "jdbc:sqlite:" + data.resolve("metadata.db"),
        "MEDIAFLOW_QUERY_HTTP_PORT", Integer.toString(port), "MEDIAFLOW_QUERY_AUTH_ENABLED", "false",
        "MEDIAFLOW_QUERY_S3_ENDPOINT", s3, "MEDIAFLOW_JAVA_OPTS", "-Xmx256m"));
    Process query = builder.start();
    try {
      String base = "http://127.0.0.1:" + port;
      await(Duration.ofMinutes(2), () -> {
        assertThat(query.isAlive()).as("query alive; log:%n%s", tail(log)).isTrue();
        return isOk(base + "/health/ready");
      }, "the query service ready");
      assertThat(Files.readString(log)).as("lifecycle lines at INFO").contains("query started in");
      HttpResponse<String> run = HTTP.send(HttpRequest.newBuilder(URI.create(base
          + "/api/v1/projects/dist-project/runs/run-1")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(run.body()).as("status %d", run.statusCode()).contains("\"items\":1");
      assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body()).contains("mediaflow_query_requests_total{route=\"run\"");
      assertThat(exitCode(home, Map.of("MEDIAFLOW_QUERY_HTTP_PORT", Integer.toString(port)), "health"))
          .as("bin/mediaflow health on the query service").isZero();
      query.destroy();
      assertThat(query.waitFor(30, TimeUnit.SECONDS)).as("query stopped on SIGTERM").isTrue();
      assertThat(Files.readString(log)).as(tail(log)).contains("query stopped");
    } finally {
      query.destroyForcibly();
    }
  }

  private static boolean isOk(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode() == 200;
    } catch (IOException e) {
      return false; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private Path unpack() throws Exception {
    assertThat(TARBALL).as("built by ./mvnw -Pdist package").exists();
    Process tar = new ProcessBuilder("tar", "xzf", TARBALL.toAbsolutePath().toString()).directory(dir.toFile())
        .inheritIO().start();
    assertThat(tar.waitFor()).isZero();
    try (Stream<Path> entries = Files.list(dir)) {
      List<Path> top = entries.toList();
      assertThat(top).hasSize(1);
      return top.get(0);
    }
  }

  /** bin/mediaflow with the test's JDK and nothing else: no Maven, no source tree, no MEDIAFLOW_* settings. */
  private ProcessBuilder launcher(Path home, String... args) {
    List<String> command = new java.util.ArrayList<>(List.of(home.resolve("bin/mediaflow").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    Map<String, String> env = builder.environment();
    env.clear();
    env.put("PATH", "/usr/bin:/bin");
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("HOME", dir.toString());
    env.put("MEDIAFLOW_JAVA_OPTS", "-Xmx1g");
    return builder;
  }

  private String run(Path home, String... args) throws Exception {
    return run(home, Map.of(), args);
  }

  /** Runs a launcher command to its end; asserts exit code 0 and returns its output. */
  private String run(Path home, Map<String, String> env, String... args) throws Exception {
    Path out = dir.resolve("command.log");
    assertThat(exitCode(home, env, out, args)).as(Files.readString(out)).isZero();
    return Files.readString(out);
  }

  private int exitCode(Path home, Map<String, String> env, String... args) throws Exception {
    return exitCode(home, env, dir.resolve("command.log"), args);
  }

  private int exitCode(Path home, Map<String, String> env, Path out, String... args) throws Exception {
    ProcessBuilder builder = launcher(home, args).redirectErrorStream(true).redirectOutput(out.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
    System.out.print(Files.readString(out));
    return process.exitValue();
  }

  /** The value up printed after a label such as {@code Kafka bootstrap:}. */
  private static String printed(String log, String label) {
    Matcher value = Pattern.compile(Pattern.quote(label) + " +(\\S+)").matcher(log);
    assertThat(value.find()).as("%s printed; log:%n%s", label, log).isTrue();
    return value.group(1);
  }

  private static String printedKey(String log) {
    Matcher key = Pattern.compile("write key: +(mf_[A-Za-z0-9_-]+)").matcher(log);
    assertThat(key.find()).as("a key printed; log:%n%s", log).isTrue();
    return key.group(1);
  }

  /** One float32 .npy image, the README's call shape, with the printed key. */
  private static int logImage(int port, String key) throws Exception {
    byte[] pixels = new byte[8 * 8 * 3 * 4];
    LogCallRequest call = new LogCallRequest("{\"step\": 1, \"data\": {\"examples\": [{\"_type\": \"image\","
        + " \"array\": \"a0\"}]}}")
        .part("a0", "a0.npy", "application/octet-stream", NpyWriter.write("float32", new long[] {8, 8, 3}, pixels));
    HttpRequest request = HttpRequest.newBuilder(call.build("http://127.0.0.1:" + port, "dist-project", "run-1"),
        (n, v) -> true).header("Authorization", "Bearer " + key).build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.body()).as("status %d", response.statusCode()).contains("\"accepted\":1");
    return response.statusCode();
  }

  private static long rows(Path data) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("metadata.db"));
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM media_item WHERE project = 'dist-project'")) {
      return r.next() ? r.getLong(1) : 0;
    } catch (SQLException e) {
      if (String.valueOf(e.getMessage()).contains("media_item")) {
        return 0; // not migrated yet
      }
      throw e;
    }
  }

  private void awaitLog(Path log, String line, Duration timeout) throws Exception {
    await(timeout, () -> {
      assertThat(up.isAlive()).as("up alive; log:%n%s", tail(log)).isTrue();
      return Files.exists(log) && Files.readString(log).contains(line);
    }, line);
  }

  private static void await(Duration timeout, java.util.concurrent.Callable<Boolean> condition, String what)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.call()) {
      assertThat(System.nanoTime()).as("timed out waiting for %s", what).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
    return String.join(File.separator.equals("/") ? "\n" : System.lineSeparator(),
        lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }

  private static long millisSince(long beginNanos) {
    return (System.nanoTime() - beginNanos) / 1_000_000;
  }
}
