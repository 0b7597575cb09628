package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.infra.ChildProcess;
import dev.mediaflow.infra.FreePort;
import dev.mediaflow.infra.JvmClasspath;
import dev.mediaflow.ingest.client.LogCallRequest;
import dev.mediaflow.ingest.npy.NpyWriter;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code mediaflow up} as a user runs it: {@link Up} in a JVM of its own on a fixed port and a data
 * directory; a README-shaped call is stored; SIGTERM stops it cleanly; a second {@code up} on the same
 * directory serves the same port and sees the first run's row and object, and stores a new call.
 */
class UpIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  static Path dataDir;

  private static final List<ChildProcess> launched = new ArrayList<>();
  /** The query API's port: a free one rather than the default 8081, which another program may hold. */
  private static final int QUERY_PORT = FreePort.find();

  @AfterAll
  static void killLeftovers() {
    // whatever a failed assertion left running must not outlive the test JVM
    for (ChildProcess up : launched) {
      ProcessHandle.of(up.pid()).ifPresent(h -> h.descendants().forEach(ProcessHandle::destroyForcibly));
      up.kill();
    }
  }

  @Test
  void shouldServeOnTheFixedPortStopCleanlyOnSigtermAndKeepTheDataAcrossARestart() throws Exception {
    // Given up started on a free fixed port and an empty data directory
    int port = FreePort.find();
    long begin = System.nanoTime();
    ChildProcess first = launchUp(port, "first");
    long firstStartMillis = millisSince(begin);
    assertThat(first.logTail(80)).contains("gateway:          http://127.0.0.1:" + port, "SQLite:",
        "S3 endpoint:", "Kafka bootstrap:", "sqlite3 " + dataDir.toAbsolutePath().normalize().resolve("metadata.db"));

    // When a README-shaped call (one float32 .npy image) is posted to it with the key it printed
    String key = printedKey(first);
    assertThat(logImageStatus(port, "run-1", null)).as("no key: auth is on").isEqualTo(401);
    assertThat(logImage(port, "run-1", key)).isEqualTo(200);

    // Then its row and its object are stored
    await("the first row stored", Duration.ofSeconds(60), () -> rows("run-1") == 1);
    assertThat(objects("run-1")).hasSize(1);
    // and the browser's URL is printed, its API reading the run with the same key (auth on there too)
    assertThat(first.logTail(80)).contains("browser:          http://127.0.0.1:" + QUERY_PORT + "/");
    assertThat(queryStatus("/api/v1/projects/my-project/runs/run-1/keys", null)).isEqualTo(401);
    assertThat(queryStatus("/api/v1/projects/my-project/runs/run-1/keys", key)).isEqualTo(200);
    String ports = Files.readString(dataDir.resolve(Up.PORTS_FILE));

    // When up gets SIGTERM
    ChildProcess.Exit exit = first.stop(Duration.ofSeconds(90));

    // Then it exits by itself, having stopped the stack in order
    assertThat(exit.clean()).as("exit %s; log:%n%s", exit.describe(), first.logTail(40)).isTrue();
    assertThat(first.logTail(40)).contains("[up] stack stopped in");
    assertThat(FreePort.isFree(port)).as("port %d released", port).isTrue();

    // When up starts again on the same directory and port
    begin = System.nanoTime();
    ChildProcess second = launchUp(port, "second");
    long secondStartMillis = millisSince(begin);

    // Then the first run's row and object are there, the infrastructure ports are the same, and a new call is stored
    assertThat(rows("run-1")).isEqualTo(1);
    assertThat(objects("run-1")).hasSize(1);
    assertThat(Files.readString(dataDir.resolve(Up.PORTS_FILE))).contains(ports.lines().filter(l -> !l.startsWith("#"))
        .toArray(String[]::new));
    assertThat(second.logTail(80)).as("no new key on a restart").doesNotContain(key).contains("ops keys create");
    assertThat(logImage(port, "run-2", key)).isEqualTo(200);
    await("the second run's row stored", Duration.ofSeconds(60), () -> rows("run-2") == 1);
    assertThat(objects("run-2")).hasSize(1);
    ChildProcess.Exit secondExit = second.stop(Duration.ofSeconds(90));
    assertThat(secondExit.clean()).as("second exit %s", secondExit.describe()).isTrue();
    System.out.printf("[figures] mediaflow up: first start %d ms (empty data dir), second start %d ms (reused), "
        + "SIGTERM stop %d ms then %d ms; run-1 row and object kept across the restart%n",
        firstStartMillis, secondStartMillis, exit.millis(), secondExit.millis());
  }

  @Test
  void shouldRefuseToStartWithAClearMessageWhenThePortIsTaken() throws Exception {
    // Given a port some other program listens on
    try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getByName(FreePort.LOOPBACK_HOST))) {
      int port = other.getLocalPort();

      // When up is started on it
      long begin = System.nanoTime();
      ChildProcess up = launch(port, dataDir.resolve("taken"), "taken");
      await("up exited", Duration.ofSeconds(60), () -> !up.isAlive());

      // Then it exits at once with code 2, naming the port and the way out, having started nothing
      assertThat(up.exitCode()).hasValue(2);
      assertThat(up.logTail(20)).contains("port " + port + " on 127.0.0.1 is in use", "--port N");
      assertThat(dataDir.resolve("taken").resolve("kafka")).doesNotExist();
      System.out.printf("[figures] mediaflow up on a taken port: refused in %d ms%n", millisSince(begin));
    }
  }

  private static ChildProcess launchUp(int port, String name) throws Exception {
    ChildProcess up = launch(port, dataDir, name);
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (!up.logTail(80).contains("[up] " + Up.READY + " http://127.0.0.1:" + port)) {
      assertThat(up.isAlive()).as("up alive; log:%n%s", up.logTail(60)).isTrue();
      assertThat(System.nanoTime()).as("up ready in 3 min; log:%n%s", up.logTail(60)).isLessThan(deadline);
      Thread.sleep(200);
    }
    return up;
  }

  private static ChildProcess launch(int port, Path dir, String name) throws IOException {
    Path argFile = ChildProcess.writeClassPathArgFile(dataDir.resolve("up.classpath.args"),
        JvmClasspath.forChildRunning(Up.class.getName()));
    ChildProcess up = ChildProcess.launch("up-" + name, List.of(ChildProcess.javaExecutable(), "-Xmx1g",
        "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.mediaflow.schemas.avro", "@" + argFile, Up.class.getName(),
        "--port", Integer.toString(port), "--query-port", Integer.toString(QUERY_PORT), "--data-dir", dir.toString()),
        Map.of(),
        dataDir.resolve("up-" + name + ".log"), null);
    launched.add(up);
    return up;
  }

  /** The write key up printed on its first start. */
  private static String printedKey(ChildProcess up) {
    Matcher key = Pattern.compile("write key: +(mf_[A-Za-z0-9_-]+)")
        .matcher(up.logTail(80));
    assertThat(key.find()).as("a key printed; log:%n%s", up.logTail(80)).isTrue();
    return key.group(1);
  }

  private static int queryStatus(String path, String key) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + QUERY_PORT + path));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static int logImage(int port, String run, String key) throws Exception {
    int status = logImageStatus(port, run, key);
    assertThat(status).isEqualTo(200);
    return status;
  }

  /** The README's example shape: a {@code log} part naming one float32 .npy part, posted as multipart. */
  private static int logImageStatus(int port, String run, String key) throws Exception {
    ByteBuffer pixels = ByteBuffer.allocate(16 * 16 * 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
    while (pixels.hasRemaining()) {
      pixels.putFloat((pixels.position() % 97) / 97f);
    }
    LogCallRequest call = new LogCallRequest("{\"step\": 3, \"data\": {\"examples\": [{\"_type\": \"image\","
        + " \"array\": \"a0\", \"caption\": \"a sample\"}]}}")
        .part("a0", "a0.npy", "application/octet-stream", NpyWriter.write("float32", new long[] {16, 16, 3},
            pixels.array()));
    var request = HttpRequest.newBuilder(call.build("http://127.0.0.1:" + port, "my-project", run), (n, v) -> true);
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 200) {
      assertThat(response.body()).contains("\"accepted\":1");
    }
    return response.statusCode();
  }

  private static long rows(String run) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("metadata.db"));
        PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM media_item WHERE project = ? AND run = ?")) {
      q.setString(1, "my-project");
      q.setString(2, run);
      try (ResultSet r = q.executeQuery()) {
        return r.next() ? r.getLong(1) : 0;
      }
    } catch (java.sql.SQLException e) {
      if (String.valueOf(e.getMessage()).contains("media_item")) {
        return 0; // the sink has not migrated the schema yet
      }
      throw e;
    }
  }

  /** Object files of one run in S3Proxy's filesystem store: what survives the stack's JVM. */
  private static List<Path> objects(String run) throws IOException {
    Path dir = dataDir.resolve("s3/blobs/" + EmbeddedStack.BUCKET + "/media/my-project/" + run);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  private static long millisSince(long beginNanos) {
    return (System.nanoTime() - beginNanos) / 1_000_000;
  }

  private static void await(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      Thread.sleep(200);
    }
  }
}
