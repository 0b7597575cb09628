package dev.mediaflow.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
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
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final int port;
    private final int maxRecordBytes;
    private final Duration startupTimeout;
    private final KraftNode node;

    private KafkaBroker(Builder builder) {
        this.dataDir = builder.dataDir.toAbsolutePath();
        this.port = builder.port != 0 ? builder.port : FreePort.find();
        int controllerPort = builder.controllerPort != 0 ? builder.controllerPort : FreePort.find();
        this.maxRecordBytes = builder.maxRecordBytes;
        this.startupTimeout = builder.startupTimeout;
        this.node = new KraftNode("Kafka broker " + bootstrapServers(), "kafka", 1, dataDir,
                new KraftNode.Ports(port, controllerPort), jvmOptions(builder.maxHeap), singleNodeConfig(controllerPort));
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
        return node.logFile();
    }

    /** @return true while the broker process runs */
    public boolean isRunning() {
        return node.isAlive();
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
    public boolean hasDied() {
        return node.hasDied();
    }

    /** @return the exit code of a broker that {@link #hasDied()}, for messages; -1 if it has not */
    public int exitCode() {
        return node.exitCode();
    }

    /**
     * Stops the broker gracefully (SIGTERM: it flushes and closes its logs), killing it if it has
     * not exited within 30 s. Does nothing if it is not running. The log line says which.
     *
     * @return how it ended, or null if it was not started
     */
    public ChildProcess.Exit stop() {
        return node.stop();
    }

    /** Kills the broker with SIGKILL, as a crash would; for recovery tests. */
    public void kill() {
        node.kill();
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
            Path classpathArgs = KraftNode.writeClassPathArgs(dataDir);
            if (!node.isFormatted()) {
                // a dynamic quorum of this one voter; the cluster id comes from the same Uuid class
                // StorageTool's random-uuid command prints, minted here to save a JVM start
                node.format(classpathArgs, Uuid.randomUuid().toString(), List.of("--standalone"), FORMAT_TIMEOUT);
            }
            node.launch(classpathArgs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot launch Kafka broker in " + dataDir, e);
        }
        try {
            KraftNode.awaitLive(bootstrapServers(), List.of(node), begin + startupTimeout.toNanos(), startupTimeout);
        } catch (RuntimeException e) {
            kill();
            throw e;
        }
        LOG.info("Kafka broker {} ready in {} ms (data {}, log {})", bootstrapServers(),
                (System.nanoTime() - begin) / 1_000_000, dataDir, logFile());
    }

    private Properties singleNodeConfig(int controllerPort) {
        Properties config = new Properties();
        // formatted with --standalone (a dynamic quorum): voters are discovered through the
        // bootstrap servers; controller.quorum.voters would contradict the formatted voter set
        config.setProperty("controller.quorum.bootstrap.servers", FreePort.LOOPBACK_HOST + ":" + controllerPort);
        // one node: internal topics cannot have more replicas than brokers, or they are never created
        config.setProperty("offsets.topic.replication.factor", "1");
        config.setProperty("transaction.state.log.replication.factor", "1");
        config.setProperty("transaction.state.log.min.isr", "1");
        config.setProperty("share.coordinator.state.topic.replication.factor", "1");
        config.setProperty("share.coordinator.state.topic.min.isr", "1");
        KraftNode.recordLimits(config, maxMessageBytes());
        return config;
    }

    private static List<String> jvmOptions(String maxHeap) {
        return List.of(
                "-Xmx" + maxHeap,
                // the broker log keeps INFO even where the parent's simplelogger.properties (on the
                // shared class path) quiets Kafka's loggers
                "-Dorg.slf4j.simpleLogger.log.kafka=info",
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=info");
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
