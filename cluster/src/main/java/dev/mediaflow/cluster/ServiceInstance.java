package dev.mediaflow.cluster;

import dev.mediaflow.infra.ChildProcess;
import dev.mediaflow.infra.JvmClasspath;
import dev.mediaflow.ingest.IngestService;
import dev.mediaflow.query.QueryService;
import dev.mediaflow.ops.Main;
import dev.mediaflow.sink.SinkService;
import dev.mediaflow.transform.TransformService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One compose service run as an operating-system process on this machine: the mediaflow
 * subcommand of its {@code command} mapped to its main class, its environment taken from the
 * compose file through {@link LocalEndpoints}, and nothing else (no settings file, no extra
 * variables). Like a container it gets a {@code /tmp} of its own.
 *
 * <p>The child runs under {@link dev.mediaflow.infra.ParentWatch}: it ends when this JVM ends,
 * even by {@code kill -9}.
 */
public final class ServiceInstance implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceInstance.class);
  private static final Duration STOP_GRACE = Duration.ofSeconds(60);
  /** The main class and leading arguments of each subcommand of {@code bin/mediaflow}. */
  private static final Map<String, List<String>> MAINS = Map.of(
      "ingest", List.of(IngestService.class.getName()),
      "transform", List.of(TransformService.class.getName()),
      "sink", List.of(SinkService.class.getName()),
      "query", List.of(QueryService.class.getName()),
      "init", List.of(Main.class.getName(), "init"),
      "ops", List.of(Main.class.getName()));

  /** The environment namespaces of the services' settings. */
  private static final List<String> SETTINGS_PREFIXES = List.of("MEDIAFLOW_INGEST_", "MEDIAFLOW_TRANSFORM_",
      "MEDIAFLOW_SINK_", "MEDIAFLOW_INIT_", "MEDIAFLOW_OPS_", "MEDIAFLOW_QUERY_");

  private final ComposeFile.Service service;
  private final LocalEndpoints endpoints;
  private final Path dir;
  private final List<String> jvmOptions;
  private final Map<String, Integer> ports = new HashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private Map<String, String> environment;
  private ChildProcess process;
  private double cpuSecondsOfEarlierRuns;

  /**
   * @param service the compose service
   * @param endpoints where its hosts are on this machine
   * @param dir directory for its log, pid file, {@code /tmp} and volumes
   * @param jvmOptions options of its JVM, e.g. {@code -Xmx384m} (a container's JAVA_OPTS)
   */
  public ServiceInstance(ComposeFile.Service service, LocalEndpoints endpoints, Path dir, List<String> jvmOptions) {
    this.service = service;
    this.endpoints = endpoints;
    this.dir = dir.toAbsolutePath();
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  /** @return the compose service's name, e.g. {@code sink-2} */
  public String name() {
    return service.name();
  }

  /**
   * The environment the process gets (computed on first use; ports stay the same across restarts).
   *
   * @return variable name to value
   */
  public synchronized Map<String, String> environment() {
    if (environment == null) {
      environment = Map.copyOf(endpoints.environment(service, ports, dir.resolve("volumes")));
    }
    return environment;
  }

  /**
   * Starts the process (again); its ports and volumes are the same as before.
   *
   * @return this instance
   */
  public synchronized ServiceInstance start() {
    refuseInheritedSettings();
    List<String> main = Optional.ofNullable(MAINS.get(service.subcommand().orElse("")))
        .orElseThrow(() -> new IllegalStateException(service.name() + " runs " + service.command()
            + ", not a mediaflow subcommand of " + MAINS.keySet()));
    try {
      Path tmp = Files.createDirectories(dir.resolve("tmp"));
      Path pidFile = dir.resolve(service.name() + ".pid");
      ChildProcess.killStale(pidFile);
      Path argFile = ChildProcess.writeClassPathArgFile(dir.resolve("classpath.args"),
          JvmClasspath.forParentWatchedChildRunning(main.get(0)));
      List<String> options = new ArrayList<>(jvmOptions);
      options.add("-Djava.io.tmpdir=" + tmp);
      List<String> args = new ArrayList<>(main.subList(1, main.size()));
      args.addAll(service.command().subList(1, service.command().size()));
      process = ChildProcess.launch(service.name(), ChildProcess.parentWatched(options, argFile, main.get(0), args),
          environment(), logFile(), pidFile);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + service.name(), e);
    }
  }

  /**
   * A child inherits this JVM's environment; a mediaflow setting exported here would reach the
   * service next to the compose file's and the file would no longer be all that is tested.
   */
  private void refuseInheritedSettings() {
    List<String> inherited = System.getenv().keySet().stream()
        .filter(name -> SETTINGS_PREFIXES.stream().anyMatch(name::startsWith))
        .filter(name -> !environment().containsKey(name)).sorted().toList();
    if (!inherited.isEmpty()) {
      throw new IllegalStateException(service.name() + " would inherit " + inherited
          + " from this JVM's environment on top of the compose file's; unset them");
    }
  }

  /**
   * Runs a one-shot service (such as {@code init}) to its end.
   *
   * @param timeout how long it may take
   * @return its output
   * @throws IllegalStateException if it fails or does not finish in time (with its output)
   */
  public String runToCompletion(Duration timeout) {
    ChildProcess run = start().process;
    if (!run.waitForExit(timeout)) {
      kill();
      throw new IllegalStateException(service.name() + " did not finish within " + timeout + ":\n" + run.logTail(40));
    }
    int code = run.exitCode().orElse(-1);
    if (code != 0) {
      throw new IllegalStateException(service.name() + " exited with " + code + ":\n" + run.logTail(40));
    }
    return run.logTail(100);
  }

  /**
   * Waits until the instance answers {@code GET /health/ready} with 200 on its health port (the
   * gateway's HTTP port for ingest).
   *
   * @param timeout how long it may take
   * @return this instance
   * @throws IllegalStateException if it exits or is not ready in time (with its log tail)
   */
  public ServiceInstance awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    URI ready = URI.create("http://127.0.0.1:" + healthPort() + "/health/ready");
    while (!isOk(ready)) {
      ChildProcess current = currentProcess();
      if (current == null || !current.isAlive()) {
        throw new IllegalStateException(service.name() + " exited while starting:\n" + logTail());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(service.name() + " not ready within " + timeout + ":\n" + logTail());
      }
      sleep(250);
    }
    return this;
  }

  /** @return the root URL, {@code http://127.0.0.1:<port>}, of an ingest (gateway) or query instance */
  public String httpUrl() {
    return "http://127.0.0.1:" + portOf("_HTTP_PORT");
  }

  /** SIGKILL, as a crash of its container would: nothing is flushed or committed. */
  public synchronized void kill() {
    if (process != null) {
      cpuSecondsOfEarlierRuns += cpuSecondsOfCurrentRun();
      process.kill();
      process = null;
      LOG.info("{} killed", service.name());
    }
  }

  /** @return true while the process runs */
  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** @return the process's pid, -1 if it does not run */
  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  /**
   * CPU time (user + system) the instance has used, over all its runs so far.
   *
   * @return seconds
   */
  public synchronized double cpuSeconds() {
    return cpuSecondsOfEarlierRuns + cpuSecondsOfCurrentRun();
  }

  /** @return the end of its output, for messages */
  public String logTail() {
    ChildProcess current = currentProcess();
    return current == null ? "(not running)" : current.logTail(40);
  }

  /** @return the file its output goes to */
  public Path logFile() {
    return dir.resolve(service.name() + ".log");
  }

  /** SIGTERM and wait: the service drains and commits. */
  @Override
  public synchronized void close() {
    if (process != null) {
      cpuSecondsOfEarlierRuns += cpuSecondsOfCurrentRun();
      LOG.info("{} {}", service.name(), process.stop(STOP_GRACE).describe());
      process = null;
    }
  }

  @Override
  public String toString() {
    return service.name() + "[" + (process == null ? "stopped" : "pid " + process.pid()) + "]";
  }

  private synchronized ChildProcess currentProcess() {
    return process;
  }

  private int healthPort() {
    return environment().keySet().stream().anyMatch(k -> k.endsWith("_HEALTH_PORT")) ? portOf("_HEALTH_PORT")
        : portOf("_HTTP_PORT");
  }

  private int portOf(String suffix) {
    return environment().entrySet().stream().filter(e -> e.getKey().endsWith(suffix)).findFirst()
        .map(e -> Integer.parseInt(e.getValue()))
        .orElseThrow(() -> new IllegalStateException(service.name() + " has no *" + suffix + " in the compose file"));
  }

  private double cpuSecondsOfCurrentRun() {
    return process == null || !process.isAlive() ? 0 : ProcessCpu.seconds(process.pid());
  }

  private boolean isOk(URI uri) {
    try {
      return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
