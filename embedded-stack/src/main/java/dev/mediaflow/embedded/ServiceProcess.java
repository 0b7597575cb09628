package dev.mediaflow.embedded;

import dev.mediaflow.infra.ChildProcess;
import dev.mediaflow.infra.JvmClasspath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One of our services (transform, sink) in its own JVM, configured by a properties file
 * exactly as in production. Used to test what a real crash (kill -9) does.
 */
public final class ServiceProcess implements AutoCloseable {
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
      Path argFile = dir.resolve(name + ".classpath.args");
      String classpath = JvmClasspath.forChildRunning(mainClass.getName());
      Files.writeString(argFile, "-cp \"" + classpath.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n");
      List<String> command = List.of(ChildProcess.javaExecutable(), "-Xmx768m", "-XX:+ExitOnOutOfMemoryError",
          "-Djava.awt.headless=true", "@" + argFile, mainClass.getName(), settingsFile.toString());
      process = ChildProcess.launch(name, command, Map.of(), dir.resolve(name + ".log"), dir.resolve(name + ".pid"));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
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

  /** SIGTERM and wait: the service drains and commits. */
  @Override
  public synchronized void close() {
    if (process != null) {
      process.stop(Duration.ofSeconds(60));
      process = null;
    }
  }

  @Override
  public String toString() {
    return name + " (" + mainClass.getSimpleName() + ")";
  }
}
