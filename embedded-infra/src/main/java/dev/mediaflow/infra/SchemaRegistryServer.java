package dev.mediaflow.infra;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apicurio Registry (which serves the Confluent Schema Registry API under
 * {@code /apis/ccompat/v7}) running as a child JVM on 127.0.0.1, its schemas kept in an H2
 * database file in a directory the caller owns, so schema ids survive restarts.
 *
 * <p>The registry comes from its distribution zip, unpacked by this module's build into
 * {@code embedded-infra/target/apicurio}; see {@link #locateRunnerJar()} for how it is found.
 *
 * <p>Files in the data directory: {@code registry.mv.db} (H2), {@code registry.log} (the child's
 * output), {@code registry.pid}. As with {@link KafkaBroker}, the child runs under
 * {@link ParentWatch} and ends when this JVM ends, even by {@code kill -9}; the next start on the
 * same data directory also kills a leftover registry found through the pid file.
 */
public final class SchemaRegistryServer implements AutoCloseable {

    /** System property naming the directory that holds the Apicurio runner jar. */
    public static final String APICURIO_HOME_PROPERTY = "mediaflow.apicurio.home";
    /** Environment variable naming the directory that holds the Apicurio runner jar. */
    public static final String APICURIO_HOME_ENV = "MEDIAFLOW_APICURIO_HOME";

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);
    private static final String UNPACKED_DIR = "embedded-infra/target/apicurio";
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Path dataDir;
    private final int port;
    private final Path runnerJar;
    private final Duration startupTimeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private ChildProcess process;

    private SchemaRegistryServer(Builder builder) {
        this.dataDir = builder.dataDir.toAbsolutePath();
        this.port = builder.port != 0 ? builder.port : FreePort.find();
        this.runnerJar = builder.runnerJar != null ? builder.runnerJar : locateRunnerJar();
        this.startupTimeout = builder.startupTimeout;
    }

    /**
     * Starts a registry on a free port and waits until it serves the Confluent API.
     *
     * @param dataDir directory for the registry's database and log; created if missing, reused
     *     (with its schemas) if it holds data from an earlier run
     * @return the running registry
     */
    public static SchemaRegistryServer start(Path dataDir) {
        return builder(dataDir).start();
    }

    /**
     * Returns a builder for a registry on a chosen port or from a chosen distribution.
     *
     * @param dataDir directory for the registry's database and log
     * @return a builder; call {@link Builder#start()} to launch
     */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /**
     * Finds the Apicurio runner jar: in the directory named by the system property
     * {@value #APICURIO_HOME_PROPERTY}, else by the environment variable
     * {@value #APICURIO_HOME_ENV}, else in {@code embedded-infra/target/apicurio} under the
     * working directory or the nearest ancestor that has one (tests run in module directories,
     * the demo in the repository root).
     *
     * @return the runner jar
     * @throws IllegalStateException if none is found (build embedded-infra first)
     */
    public static Path locateRunnerJar() {
        String configured = System.getProperty(APICURIO_HOME_PROPERTY, System.getenv(APICURIO_HOME_ENV));
        if (configured != null && !configured.isBlank()) {
            Path home = Path.of(configured).toAbsolutePath();
            return findRunnerIn(home).orElseThrow(() -> new IllegalStateException(
                    "no apicurio-registry-app-*-runner.jar in " + home + " (set by " + APICURIO_HOME_PROPERTY + " / "
                            + APICURIO_HOME_ENV + ")"));
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Optional<Path> found = findRunnerIn(dir.resolve(UNPACKED_DIR));
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new IllegalStateException("Apicurio Registry not found: no " + UNPACKED_DIR + " in " + start
                + " or its parents. Build it with ./mvnw -pl embedded-infra package, or point " + APICURIO_HOME_PROPERTY
                + " / " + APICURIO_HOME_ENV + " at the directory holding the runner jar");
    }

    /** @return the registry's Confluent-compatible API, {@code http://127.0.0.1:<port>/apis/ccompat/v7} */
    public String confluentApiUrl() {
        return baseUrl() + "/apis/ccompat/v7";
    }

    /** @return {@code http://127.0.0.1:<port>}, the root of all of Apicurio's APIs */
    public String baseUrl() {
        return "http://" + FreePort.LOOPBACK_HOST + ":" + port;
    }

    /** @return the HTTP port */
    public int port() {
        return port;
    }

    /** @return the data directory */
    public Path dataDir() {
        return dataDir;
    }

    /** @return the file the registry's output goes to */
    public Path logFile() {
        return dataDir.resolve("registry.log");
    }

    /** @return true while the registry process runs */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Starts the registry again on the same port and database, stopping it first if it runs.
     *
     * @return this registry, running
     */
    public synchronized SchemaRegistryServer restart() {
        if (isRunning()) {
            stop();
        }
        launch();
        return this;
    }

    /**
     * Tells whether the registry process ended by itself since it was started, as opposed to
     * {@link #stop()} or {@link #kill()}.
     *
     * @return true if it was started and is gone without being told to stop
     */
    public synchronized boolean hasDied() {
        return process != null && !process.isAlive();
    }

    /** @return the exit code of a registry that {@link #hasDied()}, for messages; -1 if it has not */
    public synchronized int exitCode() {
        return process == null ? -1 : process.exitCode().orElse(-1);
    }

    /**
     * Stops the registry gracefully (SIGTERM: Quarkus closes the database), killing it if it has
     * not exited within 30 s. Does nothing if it is not running. The log line says which.
     *
     * @return how it ended, or null if it was not started
     */
    public synchronized ChildProcess.Exit stop() {
        if (process == null) {
            return null;
        }
        ChildProcess.Exit exit = process.stop(STOP_GRACE);
        LOG.info("Schema registry {} {}", baseUrl(), exit.describe());
        process = null;
        return exit;
    }

    /** Kills the registry with SIGKILL, as a crash would; for recovery tests. */
    public synchronized void kill() {
        if (process != null) {
            process.kill();
            LOG.info("Schema registry {} killed", baseUrl());
            process = null;
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "SchemaRegistryServer[" + baseUrl() + ", " + dataDir + "]";
    }

    private synchronized void launch() {
        long begin = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
            ChildProcess.killStale(dataDir.resolve("registry.pid"));
            List<String> options = List.of(
                    "-Xmx512m",
                    // C1 only: starts in ~4 s instead of ~7 s on 2 busy cores; the registry sees a
                    // few requests per schema (clients cache ids), so peak JIT speed buys nothing
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+ExitOnOutOfMemoryError",
                    "-Djava.awt.headless=true",
                    "-Dmediaflow.dataDir=" + dataDir,
                    "-Dquarkus.http.host=" + FreePort.LOOPBACK_HOST,
                    "-Dquarkus.http.port=" + port);
            // not -jar: ParentWatch comes first, so the runner jar goes on the class path (the JVM
            // follows its manifest Class-Path to lib/ all the same) and its Main-Class is named
            Path classpathArgs = ChildProcess.writeClassPathArgFile(dataDir.resolve("registry.classpath.args"),
                    runnerJar + File.pathSeparator + JvmClasspath.parentWatchLocation());
            List<String> command = ChildProcess.parentWatched(options, classpathArgs, mainClassOf(runnerJar), List.of());
            process = ChildProcess.launch("apicurio", command, Map.of("REGISTRY_DATASOURCE_URL", datasourceUrl()),
                    logFile(), dataDir.resolve("registry.pid"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot launch Apicurio Registry in " + dataDir, e);
        }
        try {
            awaitReady(begin);
        } catch (RuntimeException e) {
            kill();
            throw e;
        }
        LOG.info("Schema registry {} ready in {} ms (data {}, log {})", confluentApiUrl(),
                (System.nanoTime() - begin) / 1_000_000, dataDir, logFile());
    }

    /**
     * Apicurio's prod profile reads {@code REGISTRY_DATASOURCE_URL} into
     * {@code quarkus.datasource.jdbc.url}; without it the database is in memory and every
     * restart would hand out new ids, breaking consumers of records written before.
     *
     * <p>{@code WRITE_DELAY=0}: H2 otherwise writes commits to the file up to 500 ms later, and a
     * registry killed in that window loses schemas it has already answered with an id. Measured
     * here: without it, every schema registered just before a kill -9 was gone, and the next
     * registration reused the lost id for a different schema, so records already in Kafka
     * would be decoded with the wrong schema.
     */
    private String datasourceUrl() {
        return "jdbc:h2:file:" + dataDir.resolve("registry") + ";WRITE_DELAY=0";
    }

    /**
     * Waits until the readiness check (which includes the database) passes and the Confluent API
     * answers; Apicurio takes 4-12 s here.
     */
    private void awaitReady(long beginNanos) {
        long deadline = beginNanos + startupTimeout.toNanos();
        while (!(isOk("/health/ready") && isOk("/apis/ccompat/v7/subjects"))) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Apicurio Registry exited during startup; log " + logFile() + ":\n"
                        + process.logTail(40));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Apicurio Registry not ready within " + startupTimeout + "; log "
                        + logFile() + ":\n" + process.logTail(40));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Apicurio Registry", e);
            }
        }
    }

    private boolean isOk(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(2)).GET()
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String mainClassOf(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String main = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
            if (main == null) {
                throw new IOException(jar + " names no Main-Class in its manifest");
            }
            return main;
        }
    }

    private static Optional<Path> findRunnerIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "apicurio-registry-app-*-runner.jar")) {
            for (Path jar : jars) {
                return Optional.of(jar.toAbsolutePath());
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** Options for a registry; every one has a default. */
    public static final class Builder {
        private final Path dataDir;
        private int port;
        private Path runnerJar;
        private Duration startupTimeout = Duration.ofSeconds(90);

        private Builder(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        }

        /**
         * @param port HTTP port on 127.0.0.1; 0 (the default) picks a free one
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * @param runnerJar the Apicurio runner jar; default {@link #locateRunnerJar()}
         * @return this builder
         */
        public Builder runnerJar(Path runnerJar) {
            this.runnerJar = Objects.requireNonNull(runnerJar, "runnerJar");
            return this;
        }

        /**
         * @param startupTimeout how long start may take before it fails; default 90 s
         * @return this builder
         */
        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = Objects.requireNonNull(startupTimeout, "startupTimeout");
            return this;
        }

        /**
         * Launches the registry and waits until it serves the Confluent API.
         *
         * @return the running registry
         * @throws IllegalStateException if it exits or is not ready within the startup timeout
         *     (the message includes the end of its log)
         */
        public SchemaRegistryServer start() {
            SchemaRegistryServer server = new SchemaRegistryServer(this);
            server.launch();
            return server;
        }
    }
}
