package dev.mediaflow.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker (KRaft, combined broker+controller, one node) running as a child
 * JVM, bound to 127.0.0.1, with its data in a directory the caller owns.
 *
 * <p>A child process rather than an in-process server so that tests can stop, kill -9 and restart
 * it like a real broker, and so the broker's threads, memory and logging stay out of the caller's
 * JVM. It runs the {@code kafka_2.13} classes already on this JVM's class path.
 *
 * <p>Files in the data directory: {@code server.properties}, {@code kafka-logs/} (the log and the
 * KRaft metadata), {@code broker.log} (the child's output), {@code broker.pid}.
 *
 * <p>The child runs under {@link ParentWatch}: it shuts itself down when this JVM ends, however it
 * ends (including {@code kill -9}). As a second line of defence, the next start on the same data
 * directory kills a leftover broker found through {@code broker.pid}.
 */
public final class KafkaBroker implements AutoCloseable {

    /** Largest record the broker accepts by default: 64 MiB, sized for large media items. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;
    /**
     * Added to the record limit for the broker's {@code message.max.bytes}: that limit applies to a
     * whole record batch, whose framing, key and headers come on top of the value.
     */
    public static final int BATCH_OVERHEAD_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
    private static final String MAIN_CLASS = "kafka.Kafka";
    /** The request size a broker accepts unless told otherwise (socket.request.max.bytes). */
    private static final int KAFKA_DEFAULT_SOCKET_REQUEST_MAX_BYTES = 100 * 1024 * 1024;
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final int maxRecordBytes;
    private final String maxHeap;
    private final Duration startupTimeout;
    private ChildProcess process;

    private KafkaBroker(Builder builder) {
        this.dataDir = builder.dataDir.toAbsolutePath();
        this.port = builder.port != 0 ? builder.port : FreePort.find();
        this.controllerPort = builder.controllerPort != 0 ? builder.controllerPort : FreePort.find();
        this.maxRecordBytes = builder.maxRecordBytes;
        this.maxHeap = builder.maxHeap;
        this.startupTimeout = builder.startupTimeout;
    }

    /**
     * Starts a broker on free ports with default settings and waits until it serves requests.
     *
     * @param dataDir directory for the broker's data and log; created if missing, reused (with its
     *     topics and records) if it holds data from an earlier run
     * @return the running broker
     */
    public static KafkaBroker start(Path dataDir) {
        return builder(dataDir).start();
    }

    /**
     * Returns a builder for a broker with non-default ports or limits.
     *
     * @param dataDir directory for the broker's data and log
     * @return a builder; call {@link Builder#start()} to launch
     */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** @return "127.0.0.1:port", for {@code bootstrap.servers} */
    public String bootstrapServers() {
        return FreePort.LOOPBACK_HOST + ":" + port;
    }

    /** @return the client port */
    public int port() {
        return port;
    }

    /** @return the largest record the broker accepts (the builder's limit) */
    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    /**
     * The broker's {@code message.max.bytes}: producers' {@code max.request.size} and topics'
     * {@code max.message.bytes} should not exceed it.
     *
     * @return the largest record batch the broker accepts
     */
    public int maxMessageBytes() {
        return maxRecordBytes + BATCH_OVERHEAD_BYTES;
    }

    /** @return the data directory */
    public Path dataDir() {
        return dataDir;
    }

    /** @return the file the broker's output goes to */
    public Path logFile() {
        return dataDir.resolve("broker.log");
    }

    /** @return true while the broker process runs */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Starts the broker again on the same ports and data directory, so clients configured with
     * {@link #bootstrapServers()} reconnect and find their topics. Stops it first if it runs.
     *
     * @return this broker, running
     */
    public synchronized KafkaBroker restart() {
        if (isRunning()) {
            stop();
        }
        launch();
        return this;
    }

    /**
     * Tells whether the broker process ended by itself (a crash, an out-of-memory exit, a kill
     * from outside) since it was started, as opposed to {@link #stop()} or {@link #kill()}.
     *
     * @return true if it was started and is gone without being told to stop
     */
    public synchronized boolean hasDied() {
        return process != null && !process.isAlive();
    }

    /** @return the exit code of a broker that {@link #hasDied()}, for messages; -1 if it has not */
    public synchronized int exitCode() {
        return process == null ? -1 : process.exitCode().orElse(-1);
    }

    /**
     * Stops the broker gracefully (SIGTERM: it flushes and closes its logs), killing it if it has
     * not exited within 30 s. Does nothing if it is not running. The log line says which.
     *
     * @return how it ended, or null if it was not started
     */
    public synchronized ChildProcess.Exit stop() {
        if (process == null) {
            return null;
        }
        ChildProcess.Exit exit = process.stop(STOP_GRACE);
        LOG.info("Kafka broker {} {}", bootstrapServers(), exit.describe());
        process = null;
        return exit;
    }

    /** Kills the broker with SIGKILL, as a crash would; for recovery tests. */
    public synchronized void kill() {
        if (process != null) {
            process.kill();
            LOG.info("Kafka broker {} killed", bootstrapServers());
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
        return "KafkaBroker[" + bootstrapServers() + ", " + dataDir + "]";
    }

    private synchronized void launch() {
        long begin = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
            ChildProcess.killStale(dataDir.resolve("broker.pid"));
            Path serverProperties = writeServerProperties();
            Path classpathArgs = ChildProcess.writeClassPathArgFile(dataDir.resolve("broker.classpath.args"),
                    JvmClasspath.forParentWatchedChildRunning(MAIN_CLASS));
            if (!isFormatted()) {
                format(serverProperties, classpathArgs);
            }
            List<String> command = ChildProcess.parentWatched(jvmOptions(), classpathArgs, MAIN_CLASS,
                    List.of(serverProperties.toString()));
            process = ChildProcess.launch("kafka", command, Map.of(), logFile(), dataDir.resolve("broker.pid"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot launch Kafka broker in " + dataDir, e);
        }
        try {
            awaitReady(begin);
        } catch (RuntimeException e) {
            kill();
            throw e;
        }
        LOG.info("Kafka broker {} ready in {} ms (data {}, log {})", bootstrapServers(), elapsedMillis(begin), dataDir,
                logFile());
    }

    private Path writeServerProperties() throws IOException {
        Properties config = new Properties();
        config.setProperty("process.roles", "broker,controller");
        config.setProperty("node.id", "1");
        String host = FreePort.LOOPBACK_HOST;
        config.setProperty("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        config.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        config.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.setProperty("inter.broker.listener.name", "PLAINTEXT");
        config.setProperty("controller.listener.names", "CONTROLLER");
        // formatted with --standalone (a dynamic quorum): voters are discovered through the
        // bootstrap servers; controller.quorum.voters would contradict the formatted voter set
        config.setProperty("controller.quorum.bootstrap.servers", host + ":" + controllerPort);
        config.setProperty("log.dirs", dataDir.resolve("kafka-logs").toString());
        // one node: internal topics cannot have more replicas than brokers, or they are never created
        config.setProperty("offsets.topic.replication.factor", "1");
        config.setProperty("transaction.state.log.replication.factor", "1");
        config.setProperty("transaction.state.log.min.isr", "1");
        config.setProperty("share.coordinator.state.topic.replication.factor", "1");
        config.setProperty("share.coordinator.state.topic.min.isr", "1");
        // the 3 s default only helps groups whose many members join at once; here it just delays tests
        config.setProperty("group.initial.rebalance.delay.ms", "0");
        // after a kill -9 the restarted broker cannot register until the controller has expired
        // the dead incarnation's session (DUPLICATE_BROKER_REGISTRATION meanwhile); 4.5 s instead
        // of 9 s halves crash-restart time, heartbeats keep Kafka's 1:4.5 ratio
        config.setProperty("broker.heartbeat.interval.ms", "1000");
        config.setProperty("broker.session.timeout.ms", "4500");
        // large media records: the batch limit, the follower fetch size (kept in step although
        // there are no followers) and the request limit must all admit the largest record
        config.setProperty("message.max.bytes", Integer.toString(maxMessageBytes()));
        config.setProperty("replica.fetch.max.bytes", Integer.toString(maxMessageBytes()));
        config.setProperty("socket.request.max.bytes",
                Integer.toString(Math.max(KAFKA_DEFAULT_SOCKET_REQUEST_MAX_BYTES, maxMessageBytes() + 1024 * 1024)));
        Path file = dataDir.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            config.store(out, "written by " + KafkaBroker.class.getName() + "; regenerated on every start");
        }
        return file;
    }

    private List<String> jvmOptions() {
        return List.of(
                "-Xmx" + maxHeap,
                "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true",
                // marks the process in ps output with the directory it serves
                "-Dmediaflow.dataDir=" + dataDir,
                // Kafka logs through SLF4J, bound to slf4j-simple (stderr, hence broker.log).
                // System properties beat any simplelogger.properties on the shared class path
                // (the parent's quieter settings): the broker log keeps INFO with timestamps.
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.log.kafka=info",
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS");
    }

    /** StorageTool writes meta.properties into the log directory; its presence means formatted. */
    private boolean isFormatted() {
        return Files.isRegularFile(dataDir.resolve("kafka-logs").resolve("meta.properties"));
    }

    private void format(Path serverProperties, Path classpathArgs) throws IOException {
        // the cluster id comes from the same Uuid class StorageTool's random-uuid command prints,
        // minted here to save a JVM start
        String clusterId = Uuid.randomUuid().toString();
        List<String> command = new ArrayList<>();
        command.add(ChildProcess.javaExecutable());
        command.addAll(jvmOptions());
        command.add("@" + classpathArgs);
        command.addAll(List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", serverProperties.toString(),
                "--standalone"));
        ChildProcess.runToCompletion("kafka-storage-format", command, logFile(), Duration.ofSeconds(60));
        LOG.info("Formatted Kafka storage in {} (cluster id {})", dataDir, clusterId);
    }

    /**
     * Waits until the broker answers a metadata request. A listening port is not enough: the
     * socket is bound before the broker has joined its own quorum and been unfenced.
     */
    private void awaitReady(long beginNanos) {
        long deadline = beginNanos + startupTimeout.toNanos();
        // a quiet TCP probe first: an Admin client polling a closed port logs a warning per attempt
        while (!FreePort.isListening(port)) {
            checkProgress(deadline);
            sleep(100);
        }
        Properties adminConfig = new Properties();
        adminConfig.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        adminConfig.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        adminConfig.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        adminConfig.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, "mediaflow-broker-readiness");
        try (Admin admin = Admin.create(adminConfig)) {
            while (true) {
                checkProgress(deadline);
                try {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000)).nodes()
                            .get(4, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not serving yet; retry until the deadline
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for Kafka broker", e);
                }
                sleep(100);
            }
        }
    }

    private void checkProgress(long deadlineNanos) {
        if (!process.isAlive()) {
            throw new IllegalStateException("Kafka broker exited during startup; log " + logFile() + ":\n"
                    + process.logTail(40));
        }
        if (System.nanoTime() > deadlineNanos) {
            throw new IllegalStateException("Kafka broker not ready within " + startupTimeout + "; log " + logFile()
                    + ":\n" + process.logTail(40));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka broker", e);
        }
    }

    private static long elapsedMillis(long beginNanos) {
        return (System.nanoTime() - beginNanos) / 1_000_000;
    }

    /** Options for a broker; every one has a default. */
    public static final class Builder {
        private final Path dataDir;
        private int port;
        private int controllerPort;
        private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
        private String maxHeap = "1g";
        private Duration startupTimeout = Duration.ofSeconds(90);

        private Builder(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        }

        /**
         * @param port client port on 127.0.0.1; 0 (the default) picks a free one
         * @return this builder
         */
        public Builder port(int port) {
            this.port = requirePort(port);
            return this;
        }

        /**
         * @param controllerPort KRaft controller port on 127.0.0.1; 0 (the default) picks a free one
         * @return this builder
         */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = requirePort(controllerPort);
            return this;
        }

        /**
         * @param maxRecordBytes largest record (value, key and headers) the broker accepts;
         *     default {@link #DEFAULT_MAX_RECORD_BYTES}
         * @return this builder
         */
        public Builder maxRecordBytes(int maxRecordBytes) {
            if (maxRecordBytes < 1024 || maxRecordBytes > Integer.MAX_VALUE - 2 * 1024 * 1024) {
                throw new IllegalArgumentException("maxRecordBytes out of range: " + maxRecordBytes);
            }
            this.maxRecordBytes = maxRecordBytes;
            return this;
        }

        /**
         * @param maxHeap the broker JVM's -Xmx value, e.g. "1g" (the default)
         * @return this builder
         */
        public Builder maxHeap(String maxHeap) {
            this.maxHeap = Objects.requireNonNull(maxHeap, "maxHeap");
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
         * Launches the broker, formatting the data directory first if it is new, and waits until
         * it serves requests.
         *
         * @return the running broker
         * @throws IllegalStateException if it exits or is not ready within the startup timeout
         *     (the message includes the end of its log)
         */
        public KafkaBroker start() {
            KafkaBroker broker = new KafkaBroker(this);
            broker.launch();
            return broker;
        }

        private static int requirePort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            return port;
        }
    }
}
