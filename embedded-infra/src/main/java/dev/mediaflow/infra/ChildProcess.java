package dev.mediaflow.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server JVM launched by this JVM: output appended to a log file, pid recorded in a pid file,
 * stopped gracefully (SIGTERM, then SIGKILL after a grace period).
 *
 * <p>The child's stdin is a pipe this JVM holds open and never writes to. A child started
 * through {@link ParentWatch} (see {@link #parentWatched}) exits when that pipe closes, which
 * the operating system does when this JVM ends, even by {@code kill -9}: no orphan keeps running.
 * There is deliberately no shutdown hook per child: hooks run in parallel, so the broker would
 * stop while the services that use it are still draining; the owner (e.g. the embedded stack)
 * stops children in its own order, and whatever is left ends with this JVM. A pid file still
 * lets the next launch on the same directory kill a leftover ({@link #killStale(Path)}), for
 * children not started through {@link ParentWatch}.
 */
public final class ChildProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);
    /**
     * Keeps every running child reachable: if a {@link Process} were garbage-collected, its
     * stdin pipe would be closed and a watched child would take that for our death.
     */
    private static final Set<ChildProcess> RUNNING = ConcurrentHashMap.newKeySet();
    private static final Optional<Path> SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid").map(Path::of)
            .filter(Files::isExecutable).findFirst();

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Path pidFile;

    private ChildProcess(String name, Process process, Path logFile, Path pidFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.pidFile = pidFile;
        RUNNING.add(this);
        process.onExit().thenRun(() -> RUNNING.remove(this));
    }

    /**
     * How a child ended after {@link #stop(Duration)}: by itself after SIGTERM, or killed.
     *
     * @param byItself true if it exited within the grace period (or had already exited)
     * @param alreadyGone true if it was no longer running when the stop began
     * @param exitCode its exit code (143 is the JVM's answer to SIGTERM, 137 to SIGKILL)
     * @param millis how long the stop took
     * @param grace the grace period it was given
     */
    public record Exit(boolean byItself, boolean alreadyGone, int exitCode, long millis, Duration grace) {

        /** @return true if it exited by itself after SIGTERM with 0 or 143: the only clean stop */
        public boolean clean() {
            return byItself && !alreadyGone && (exitCode == 0 || exitCode == 143);
        }

        /** @return a phrase for a log line, e.g. "stopped cleanly in 1200 ms (exit code 143 after SIGTERM)" */
        public String describe() {
            if (alreadyGone) {
                return "was not running any more (it had exited with code " + exitCode + ")";
            }
            if (!byItself) {
                return "ignored SIGTERM for " + grace.toSeconds() + " s and was killed (SIGKILL, exit code " + exitCode
                        + ") after " + millis + " ms";
            }
            return (clean() ? "stopped cleanly" : "exited with code " + exitCode) + " in " + millis
                    + " ms (exit code " + exitCode + " after SIGTERM)";
        }
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
                // a pipe we hold and never write: it closes when this JVM dies (see ParentWatch)
                .redirectInput(ProcessBuilder.Redirect.PIPE);
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
            RUNNING.remove(tool);
        }
    }

    /**
     * Builds the command of a JVM that runs {@code mainClass} under {@link ParentWatch}, so it
     * ends when this JVM does.
     *
     * @param jvmOptions options before the class path, e.g. {@code -Xmx1g}
     * @param classPathArgFile a java {@code @argfile} holding {@code -cp <class path>}; the class
     *     path must include {@link ParentWatch} (see {@link JvmClasspath#parentWatchLocation()})
     * @param mainClass the real main class
     * @param args its arguments
     * @return the full command, starting with this JVM's {@code java}
     */
    public static List<String> parentWatched(List<String> jvmOptions, Path classPathArgFile, String mainClass,
            List<String> args) {
        List<String> command = new ArrayList<>();
        // its own session: Ctrl-C in a terminal signals the whole foreground process group, and
        // a broker stopping on that SIGINT would race the owner's ordered stop; setsid execs
        // java in place (same pid), and where it does not exist the child just stays in our group
        SETSID.ifPresent(setsid -> command.add(setsid.toString()));
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        command.add("@" + classPathArgFile);
        command.add(ParentWatch.class.getName());
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /**
     * Writes a java {@code @argfile} with {@code -cp classPath}: a test class path runs to
     * hundreds of jars, and Linux caps a single command-line argument at 128 KiB.
     *
     * @param file the file to write
     * @param classPath entries joined with the platform path separator
     * @return {@code file}
     * @throws IOException if it cannot be written
     */
    public static Path writeClassPathArgFile(Path file, String classPath) throws IOException {
        String quoted = "\"" + classPath.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        Files.writeString(file, "-cp " + quoted + "\n", StandardCharsets.UTF_8);
        return file;
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
     * @return how it ended; {@link Exit#clean()} only if it exited by itself with 0 or 143
     */
    public Exit stop(Duration grace) {
        Exit exit = terminate(grace);
        RUNNING.remove(this);
        deletePidFile();
        return exit;
    }

    /** Kills the child with SIGKILL, as a crash would, and waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
        RUNNING.remove(this);
        deletePidFile();
    }

    /**
     * Waits for the child to exit by itself.
     *
     * @param timeout how long to wait
     * @return true if it has exited
     */
    public boolean waitForExit(Duration timeout) {
        return awaitExit(timeout);
    }

    /**
     * @return the exit code if the child has exited (by itself, or stopped/killed), else empty
     */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
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

    private Exit terminate(Duration grace) {
        long begin = System.nanoTime();
        if (!process.isAlive()) {
            return new Exit(true, true, process.exitValue(), 0, grace);
        }
        process.destroy(); // SIGTERM: servers flush and close their stores
        if (awaitExit(grace)) {
            return new Exit(true, false, process.exitValue(), elapsedMillis(begin), grace);
        }
        LOG.warn("{} ignored SIGTERM for {}; killing it", this, grace);
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
        return new Exit(false, false, process.isAlive() ? -1 : process.exitValue(), elapsedMillis(begin), grace);
    }

    private static long elapsedMillis(long beginNanos) {
        return (System.nanoTime() - beginNanos) / 1_000_000;
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
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
}
