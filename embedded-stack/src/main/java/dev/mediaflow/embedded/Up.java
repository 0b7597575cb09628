package dev.mediaflow.embedded;

import dev.mediaflow.infra.FreePort;
import dev.mediaflow.sink.SinkConfig;
import dev.mediaflow.transform.TransformConfig;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code mediaflow up}: the embedded stack as a local service a user points training code at.
 * The gateway listens on a fixed port (default 8080), the data directory is reused across
 * restarts, and the stack runs until Ctrl-C or SIGTERM, which stop it in order.
 *
 * <p>Files it keeps in the data directory besides the stack's own: {@code up.lock} (one stack per
 * directory), {@code ports.properties} (broker, controller, registry and S3 ports, reused on the
 * next start while free) and {@code ops.properties} (the settings {@code mediaflow ops} needs).
 *
 * <p>Prints {@value #READY} and the gateway URL once every part serves. Exit codes: 2 bad usage, the
 * port or the directory in use; 1 the stack could not start; 143 after SIGTERM (a clean stop).
 */
@Command(name = "mediaflow up", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Starts mediaflow on this machine (Kafka broker, schema registry, S3 endpoint, SQLite and the"
        + " three services) and keeps it running until Ctrl-C.")
public final class Up implements Callable<Integer> {
  /** The line a script or test waits for: {@code READY http://127.0.0.1:<port>}. */
  public static final String READY = "READY";
  static final String PORTS_FILE = "ports.properties";
  static final String OPS_FILE = "ops.properties";

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "${env:MEDIAFLOW_PORT:-8080}",
      description = "Gateway port on 127.0.0.1 (env MEDIAFLOW_PORT; default 8080).")
  int port;

  @Option(names = "--query-port", paramLabel = "PORT", defaultValue = "${env:MEDIAFLOW_QUERY_PORT:-8081}",
      description = "Query API and media browser port on 127.0.0.1 (env MEDIAFLOW_QUERY_PORT; default 8081).")
  int queryPort;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:MEDIAFLOW_DATA_DIR:-mediaflow-data}",
      description = "Data directory, created if missing, reused across restarts (env MEDIAFLOW_DATA_DIR;"
          + " default mediaflow-data in the current directory).")
  Path dataDir;

  @Spec
  CommandSpec spec;

  public static void main(String[] args) throws InterruptedException {
    CommandLine cli = new CommandLine(new Up());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      say("could not start: " + describe(e));
      return 1;
    });
    int code = cli.execute(args);
    if (code != 0 || cli.isUsageHelpRequested() || cli.isVersionHelpRequested()) {
      System.exit(code);
    }
    Thread.currentThread().join(); // serves until a signal; the stack's shutdown hook stops it in order
  }

  /** Starts the stack and returns 0 once it serves; a non-zero code when it cannot start. */
  @Override
  public Integer call() {
    if (port < 1 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port must be 1 to 65535, not " + port);
    }
    if (queryPort < 1 || queryPort > 65535 || queryPort == port) {
      throw new ParameterException(spec.commandLine(), "--query-port must be 1 to 65535 and not the gateway's, not "
          + queryPort);
    }
    Path dir = dataDir.toAbsolutePath().normalize();
    createDirectory(dir);
    Optional<String> locked = DataDirLock.acquire(dir);
    if (locked.isPresent()) {
      say(locked.get());
      return 2;
    }
    if (!FreePort.isFree(port)) {
      say("port " + port + " on 127.0.0.1 is in use by another program; stop it, or choose another port with"
          + " --port N (or MEDIAFLOW_PORT=N)");
      return 2;
    }
    if (!FreePort.isFree(queryPort)) {
      say("port " + queryPort + " on 127.0.0.1 is in use by another program; stop it, or choose another port for the"
          + " browser with --query-port N (or MEDIAFLOW_QUERY_PORT=N)");
      return 2;
    }
    boolean firstStart = !Files.exists(dir.resolve(PORTS_FILE));
    StackPorts ports = choosePorts(dir);
    long begin = System.nanoTime();
    EmbeddedStack stack = EmbeddedStack.start(dir, null, Up::say, false, ports, EmbeddedStack.AUTH_ON,
        queryPort);
    stack.onFailure(reason -> {
      say("stopped because a part of the stack kept dying; see the lines above");
      System.exit(1);
    });
    writeProperties(dir.resolve(PORTS_FILE), ports.toProperties(), "ports of mediaflow up, reused at its next start");
    writeProperties(dir.resolve(OPS_FILE), opsSettings(stack), "settings for bin/mediaflow ops, written by mediaflow up");
    printEndpoints(stack, firstStartKey(stack, firstStart), (System.nanoTime() - begin) / 1_000_000);
    return 0;
  }

  /**
   * The write key printed on the first start, so a user can log right away with auth on: for
   * every project ({@code *}); its plaintext is shown once, only its hash is stored. Later starts
   * make none (the user has it, or makes another with {@code bin/mediaflow ops keys create}).
   */
  private static Optional<String> firstStartKey(EmbeddedStack stack, boolean firstStart) {
    return firstStart ? Optional.of(stack.createApiKey("*", "write", "mediaflow up, first start")) : Optional.empty();
  }

  /** The gateway's port as given; the others as recorded by the previous start when still free. */
  private StackPorts choosePorts(Path dir) {
    List<String> moved = new ArrayList<>();
    StackPorts ports = StackPorts.reuse(port, readProperties(dir.resolve(PORTS_FILE)), FreePort::isFree,
        FreePort::find, moved);
    moved.forEach(Up::say);
    return ports;
  }

  /** The transform's and the sink's settings under their namespaces: what ops-cli's --config reads. */
  private static Properties opsSettings(EmbeddedStack stack) {
    Properties p = new Properties();
    stack.transformSettings().forEach((k, v) -> p.setProperty(TransformConfig.NAMESPACE + k, v));
    stack.sinkSettings().forEach((k, v) -> p.setProperty(SinkConfig.NAMESPACE + k, v));
    return p;
  }

  private static void printEndpoints(EmbeddedStack stack, Optional<String> key, long startMillis) {
    String gateway = stack.gatewayUrl();
    Path db = stack.dataDir().resolve("metadata.db");
    System.out.println();
    say("mediaflow is up (started in " + startMillis + " ms), data in " + stack.dataDir());
    Map<String, String> endpoints = UpText.endpoints(gateway, stack.registryUrl(), stack.bootstrapServers(),
        stack.s3().endpoint().toString(), db, stack.dataDir().resolve(OPS_FILE));
    for (Map.Entry<String, String> line : endpoints.entrySet()) {
      say(String.format("  %-17s %s", line.getKey(), line.getValue()));
    }
    say(String.format("  %-17s %s", "browser:", stack.queryUrl() + "/  (query API: " + stack.queryUrl()
        + "/api/v1/projects; sign in with a read or write key)"));
    say(key.map(k -> "  write key:        " + k + "  (every project; shown once: keep it, e.g. export MEDIAFLOW_API_KEY=...)")
        .orElse("  write key:        the one printed at the first start (auth is on); another one:"
            + " bin/mediaflow ops keys create --project '*' --scope write"));
    System.out.println();
    say("try it:");
    UpText.tryIt(gateway, db, key).forEach(line -> System.out.println("  " + line));
    System.out.println();
    say("Ctrl-C (or kill -TERM " + ProcessHandle.current().pid() + ") stops it; restarting keeps the data.");
    say(READY + " " + gateway);
  }

  private static Properties readProperties(Path file) {
    Properties p = new Properties();
    if (Files.isRegularFile(file)) {
      try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(in);
      } catch (IOException e) {
        say("ignoring unreadable " + file + ": " + e.getMessage());
      }
    }
    return p;
  }

  private static void writeProperties(Path file, Properties p, String comment) {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(out, comment);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void createDirectory(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + dir, e);
    }
  }

  /** The message and its causes' messages: a user needs the why, not a stack trace. */
  private static String describe(Throwable e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
      text.append(": ").append(cause.getMessage());
    }
    return text.toString();
  }

  private static void say(String line) {
    System.out.println("[up] " + line);
    System.out.flush();
  }
}
