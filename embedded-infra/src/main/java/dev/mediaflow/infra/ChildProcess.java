package dev.mediaflow.infra;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server JVM launched by this JVM: output appended to a log file, pid recorded in a pid file,
 * stopped gracefully (SIGTERM, then SIGKILL after a grace period) and destroyed when this JVM
 * exits.
 *
 * <p>Limits: the shutdown hook only runs on a normal exit or SIGTERM/SIGINT of this JVM. If this
 * JVM is killed with {@code kill -9} the child keeps running; the next launch with the same pid
 * file ({@link #killStale(Path)}) cleans it up.
 */
public final class ChildProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);
    /** Bounds how long this JVM's exit can be delayed by a child that ignores SIGTERM. */
    private static final Duration EXIT_HOOK_GRACE = Duration.ofSeconds(15);

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Path pidFile;
    private final Thread exitHook;

    private ChildProcess(String name, Process process, Path logFile, Path pidFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.pidFile = pidFile;
        this.exitHook = new Thread(() -> {
            terminate(EXIT_HOOK_GRACE);
            deletePidFile();
        }, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(exitHook);
    }

    /**
     * Launches {@code command} with its stdout and stderr appended to {@code logFile}.
     *
     * @param name short name used in log lines and thread names, e.g. "kafka"
     * @param command the program and its arguments
     * @param environment variables added to this JVM's environment
     * @param logFile file the child's output is appended to (created if missing)
     * @param pidFile file recording the child's pid, or null for short-lived tools
     * @return the running child
     * @throws IOException if the process cannot be started or the files cannot be written
     */
    public static ChildProcess launch(String name, List<String> command, Map<String, String> environment,
            Path logFile, Path pidFile) throws IOException {
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        // a header per launch so restarts are easy to tell apart in one log file
        String env = environment.isEmpty() ? "" : " (env " + environment + ")";
        Files.writeString(logFile, "%n=== %s launching %s: %s%s%n".formatted(Instant.now(), name, String.join(" ", command), env),
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                // the OS writes the file directly: no pump thread, and the child never blocks on a
                // full pipe, even after this JVM is gone
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (pidFile != null) {
            writePidFile(pidFile, process.toHandle());
        }
        return new ChildProcess(name, process, logFile, pidFile);
    }

    /**
     * Runs a short-lived tool to completion, output appended to {@code logFile}.
     *
     * @param name short name for log lines
     * @param command the program and its arguments
     * @param logFile file the tool's output is appended to
     * @param timeout how long the tool may run before it is killed
     * @throws IOException if it cannot start, exits non-zero or times out (message includes the log tail)
     */
    public static void runToCompletion(String name, List<String> command, Path logFile, Duration timeout)
            throws IOException {
        ChildProcess tool = launch(name, command, Map.of(), logFile, null);
        try {
            if (!tool.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                tool.kill();
                throw new IOException(name + " did not finish within " + timeout + "; log " + logFile + ":\n"
                        + tool.logTail(30));
            }
            int exit = tool.process.exitValue();
            if (exit != 0) {
                throw new IOException(name + " exited with " + exit + "; log " + logFile + ":\n" + tool.logTail(30));
            }
        } catch (InterruptedException e) {
            tool.kill();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + name, e);
        } finally {
            tool.removeExitHook();
        }
    }

    /**
     * Kills the process recorded in {@code pidFile} by an earlier launch if it is still running,
     * e.g. a server left behind when its parent JVM was killed with {@code kill -9}. A pid that
     * has since been reused by an unrelated process is left alone: the recorded start time must
     * match too.
     *
     * @param pidFile pid file written by {@link #launch}
     * @return true if a stale process was found and killed
     */
    public static boolean killStale(Path pidFile) {
        if (!Files.isRegularFile(pidFile)) {
            return false;
        }
        try {
            String[] fields = Files.readString(pidFile, StandardCharsets.UTF_8).trim().split("\\s+");
            long pid = Long.parseLong(fields[0]);
            Optional<Long> recordedStart = fields.length > 1 ? Optional.of(Long.parseLong(fields[1])) : Optional.empty();
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            boolean same = recordedStart.isPresent() && handle.isPresent() && handle.get().isAlive()
                    && handle.get().info().startInstant().map(Instant::toEpochMilli).equals(recordedStart);
            if (same) {
                LOG.warn("Killing stale process {} recorded in {} (its parent JVM died without stopping it)", pid, pidFile);
                handle.get().destroyForcibly();
                handle.get().onExit().get(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(pidFile);
            return same;
        } catch (IOException | RuntimeException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot clean up stale process from " + pidFile, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing stale process from " + pidFile, e);
        }
    }

    /**
     * The {@code java} binary of this JVM, so children run on the same JDK as their parent.
     *
     * @return absolute path of the java launcher
     */
    public static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** @return the child's operating-system pid */
    public long pid() {
        return process.pid();
    }

    /** @return true while the child runs */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** @return the file the child's output is appended to */
    public Path logFile() {
        return logFile;
    }

    /**
     * Stops the child gracefully: SIGTERM, wait up to {@code grace}, then SIGKILL.
     *
     * @param grace how long the child may take to shut down cleanly
     * @return true if it exited within the grace period, false if it had to be killed
     */
    public boolean stop(Duration grace) {
        boolean clean = terminate(grace);
        removeExitHook();
        deletePidFile();
        return clean;
    }

    /** Kills the child with SIGKILL, as a crash would, and waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
        removeExitHook();
        deletePidFile();
    }

    /**
     * Returns the last lines of the log file, for error messages.
     *
     * @param maxLines how many lines at most
     * @return the tail, or a note if the log cannot be read
     */
    public String logTail(int maxLines) {
        Deque<String> tail = new ArrayDeque<>();
        try (Stream<String> lines = Files.lines(logFile, StandardCharsets.UTF_8)) {
            lines.forEach(line -> {
                tail.addLast(line);
                if (tail.size() > maxLines) {
                    tail.removeFirst();
                }
            });
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
        return String.join("\n", tail);
    }

    /** Stops the child gracefully with a 30 s grace period. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }

    @Override
    public String toString() {
        return name + "[pid " + process.pid() + "]";
    }

    private boolean terminate(Duration grace) {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy(); // SIGTERM: servers flush and close their stores
        if (awaitExit(grace)) {
            return true;
        }
        LOG.warn("{} ignored SIGTERM for {}; killing it", this, grace);
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
        return false;
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private void removeExitHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(exitHook);
        } catch (IllegalStateException shutdownInProgress) {
            // the hook is running or about to; nothing left to undo
        }
    }

    private void deletePidFile() {
        if (pidFile == null) {
            return;
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            LOG.warn("Cannot delete pid file {}: {}", pidFile, e.toString());
        }
    }

    private static void writePidFile(Path pidFile, ProcessHandle handle) throws IOException {
        // pid plus start time: a later killStale must not hit an unrelated process that reused the pid
        String start = handle.info().startInstant().map(i -> Long.toString(i.toEpochMilli())).orElse("");
        Files.writeString(pidFile, (handle.pid() + " " + start).trim() + "\n", StandardCharsets.UTF_8);
    }

    private static File nullDevice() {
        return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
