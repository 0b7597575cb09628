package dev.mediaflow.embedded;

import dev.mediaflow.infra.ChildProcess;
import dev.mediaflow.infra.JvmClasspath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of our services (transform, sink) in its own JVM, configured by a properties file
 * exactly as in production. Used to test what a real crash (kill -9) does. The JVM runs under
 * {@link dev.mediaflow.infra.ParentWatch}, so it ends when the stack's JVM ends, even by kill -9.
 */
public final class ServiceProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceProcess.class);
  /** Longer than the sink's own 60 s drain bound would be pointless; SIGKILL after that. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(60);
  /** The incubator module of the transform's SIMD kernels, added to the child JVM when present. */
  private static final String VECTOR_MODULE = "jdk.incubator.vector";

  private final String name;
  private final Class<?> mainClass;
  private final Path dir;
  private final Path settingsFile;
  private ChildProcess process;

  /**
   * @param namespace the service's settings namespace, e.g. {@code mediaflow.sink.}
   * @param settings keys inside the namespace
   */
  public ServiceProcess(String name, Class<?> mainClass, String namespace, Map<String, String> settings, Path dir) {
    this.name = name;
    this.mainClass = mainClass;
    this.dir = dir;
    this.settingsFile = dir.resolve(name + ".properties");
    Properties properties = new Properties();
    settings.forEach((k, v) -> properties.setProperty(namespace + k, v));
    try {
      Files.createDirectories(dir);
      try (Writer out = Files.newBufferedWriter(settingsFile, StandardCharsets.UTF_8)) {
        properties.store(out, name + " settings, written by the embedded stack");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + settingsFile, e);
    }
  }

  public synchronized ServiceProcess start() {
    try {
      Path pidFile = dir.resolve(name + ".pid");
      ChildProcess.killStale(pidFile);
      Path argFile = ChildProcess.writeClassPathArgFile(dir.resolve(name + ".classpath.args"),
          JvmClasspath.forParentWatchedChildRunning(mainClass.getName()));
      List<String> command = ChildProcess.parentWatched(jvmOptions(), argFile,
          mainClass.getName(), List.of(settingsFile.toString()));
      process = ChildProcess.launch(name, command, Map.of(), dir.resolve(name + ".log"), pidFile);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  /**
   * The child's JVM options; with the Vector API module when this runtime has it (the
   * transform's SIMD kernels, issue 13; it prints a one-line incubator warning at start-up).
   */
  static List<String> jvmOptions() {
    List<String> options = new ArrayList<>(
        List.of("-Xmx768m", "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true"));
    if (ModuleFinder.ofSystem().find(VECTOR_MODULE).isPresent()) {
      options.addAll(List.of("--add-modules", VECTOR_MODULE));
    }
    return options;
  }

  /** True if the process was started and ended by itself (not through {@link #kill()} or {@link #close()}). */
  public synchronized boolean hasDied() {
    return process != null && !process.isAlive();
  }

  /** The exit code of a process that {@link #hasDied()}; -1 otherwise. */
  public synchronized int exitCode() {
    return process == null ? -1 : process.exitCode().orElse(-1);
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. */
  public synchronized void kill() {
    if (process != null) {
      process.kill();
      process = null;
    }
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  public String logTail() {
    return process == null ? "" : process.logTail(40);
  }

  /** SIGTERM and wait: the service drains and commits. The log line says whether it had to be killed. */
  @Override
  public synchronized void close() {
    if (process != null) {
      ChildProcess.Exit exit = process.stop(STOP_GRACE);
      LOG.info("{} process {}", name, exit.describe());
      process = null;
    }
  }

  @Override
  public String toString() {
    return name + " (" + mainClass.getSimpleName() + ")";
  }
}
