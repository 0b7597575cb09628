package dev.mediaflow.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediaflow.embedded.EmbeddedStack;
import dev.mediaflow.embedded.StackInspector;
import dev.mediaflow.ingest.client.LogCallRequest;
import dev.mediaflow.schemas.deadletter.DeadLetters;
import dev.mediaflow.sink.SinkConfig;
import dev.mediaflow.transform.TransformConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The real embedded stack (KRaft broker, Apicurio, S3Proxy, SQLite, the three services) for the
 * ops-cli integration tests, with a settings file the commands read like an operator's.
 */
final class OpsStack implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final EmbeddedStack stack;
  final StackInspector inspector;
  final Path config;

  private OpsStack(EmbeddedStack stack, Path config) {
    this.stack = stack;
    this.inspector = new StackInspector(stack);
    this.config = config;
  }

  static OpsStack start(Path dataDir) throws IOException {
    EmbeddedStack stack = EmbeddedStack.start(dataDir.resolve("stack"), null, line -> System.out.println("[stack] " + line));
    Properties settings = new Properties();
    stack.transformSettings().forEach((k, v) -> settings.setProperty(TransformConfig.NAMESPACE + k, v));
    stack.sinkSettings().forEach((k, v) -> settings.setProperty(SinkConfig.NAMESPACE + k, v));
    Path config = dataDir.resolve("ops.properties");
    try (OutputStream out = Files.newOutputStream(config)) {
      settings.store(out, "mediaflow settings for mediaflow-ops");
    }
    return new OpsStack(stack, config);
  }

  /** What one command printed and returned. */
  record Result(int code, String out, String err) {
    long number(String label) {
      for (String line : out.split("\n")) {
        int at = line.indexOf(label + ": ");
        if (at >= 0) {
          return Long.parseLong(line.substring(at + label.length() + 2).split("\\D", 2)[0]);
        }
      }
      throw new AssertionError("no '" + label + "' in:\n" + out);
    }
  }

  /** Runs {@code mediaflow-ops --config <file> args...} in this JVM, without the machine's environment. */
  Result ops(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of("--config", config.toString()));
    all.addAll(List.of(args));
    long started = System.nanoTime();
    int code = Main.run(all.toArray(String[]::new), Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    System.out.printf("[ops] %s -> %d in %d ms%n%s%s", String.join(" ", args), code,
        (System.nanoTime() - started) / 1_000_000, out, err);
    assertThat(code).as("exit code of %s; stderr:%n%s", String.join(" ", args), err).isZero();
    return new Result(code, out.toString(), err.toString());
  }

  /** Logs one call through the HTTP gateway, like training code does. */
  JsonNode log(String project, String run, ObjectNode log, Map<String, byte[]> parts) throws Exception {
    LogCallRequest request = new LogCallRequest(log.toString());
    // a part named like a file (cat.png) is sent as that file; any other is an .npy array
    parts.forEach((name, data) -> request.part(name, name.contains(".") ? name : name + ".npy",
        "application/octet-stream", data));
    HttpResponse<String> response =
        HTTP.send(request.build(stack.gatewayUrl(), project, run), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  void awaitRows(String project, String run, long expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (inspector.rows(project, run) < expected && System.nanoTime() < deadline) {
      Thread.sleep(250);
    }
    assertThat(inspector.rows(project, run)).as("rows of %s/%s", project, run).isEqualTo(expected);
  }

  long rowsOf(String project, String run) {
    return inspector.rows(project, run);
  }

  /** The dead letters of one run, as header maps, once there are {@code expected} of them. */
  List<Map<String, String>> awaitDeadLetters(String run, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<Map<String, String>> letters = deadLetters(run);
    while (letters.size() < expected && System.nanoTime() < deadline) {
      Thread.sleep(250);
      letters = deadLetters(run);
    }
    assertThat(letters).as("dead letters of run %s", run).hasSize(expected);
    return letters;
  }

  List<Map<String, String>> deadLetters(String run) {
    return inspector.deadLetters().stream().filter(h -> run.equals(h.get(DeadLetters.RUN))).toList();
  }

  /** Every row of {@code media_item}, each column as text, ordered by identity. */
  static List<Map<String, String>> rows(String jdbcUrl) throws SQLException {
    List<Map<String, String>> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", null);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM media_item ORDER BY project, run, log_key, step, item_index")) {
      while (rs.next()) {
        Map<String, String> row = new TreeMap<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(), rs.getString(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** Every object under {@code prefix/} of the bucket: key relative to the prefix → content (Base64). */
  Map<String, String> objects(String bucket, String prefix) {
    Map<String, String> objects = new TreeMap<>();
    ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix + "/").build();
    try {
      for (var page : inspector.s3().listObjectsV2Paginator(request)) {
        for (S3Object object : page.contents()) {
          byte[] data = inspector.s3().getObjectAsBytes(
              GetObjectRequest.builder().bucket(bucket).key(object.key()).build()).asByteArray();
          objects.put(object.key().substring(prefix.length() + 1), Base64.getEncoder().encodeToString(data));
        }
      }
    } catch (NoSuchBucketException e) {
      return Map.of();
    }
    return objects;
  }

  @Override
  public void close() {
    inspector.close();
    stack.close();
  }

  static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
