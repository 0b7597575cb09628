package dev.mediaflow.infra;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One KRaft node, broker and controller at once, as a child JVM under {@link ParentWatch}: what
 * {@link KafkaBroker} (one node) and {@link KafkaCluster} (several) have in common. The owner
 * decides the role (quorum, replication, threads) through extra server properties and JVM options.
 *
 * <p>Files in the node's directory: {@code server.properties}, {@code kafka-logs/} (the log and the
 * KRaft metadata), {@code broker.log} (the child's output), {@code broker.pid}. A node started again
 * on the same directory and ports finds its data; a leftover process recorded in {@code broker.pid}
 * (its parent JVM died without stopping it) is killed first.
 */
final class KraftNode {

    /** The two ports of a node, fixed for its lifetime so clients and peers find it after a restart. */
    record Ports(int client, int controller) {}

    /** How long a graceful stop may take before the node is killed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(KraftNode.class);
    private static final String MAIN_CLASS = "kafka.Kafka";
    /** The request size a broker accepts unless told otherwise (socket.request.max.bytes). */
    private static final int KAFKA_DEFAULT_SOCKET_REQUEST_MAX_BYTES = 100 * 1024 * 1024;
    private static final long POLL_MILLIS = 100;

    private final String name;
    private final String processName;
    private final int id;
    private final Path dir;
    private final Ports ports;
    private final List<String> roleJvmOptions;
    private final Properties roleConfig;
    private ChildProcess process;

    /**
     * @param name for log lines and errors, e.g. "Kafka node 2"
     * @param processName short name of the child in its log headers, e.g. "kafka-2"
     * @param id the KRaft node.id
     * @param dir the node's own directory
     * @param ports its client and controller ports on 127.0.0.1
     * @param roleJvmOptions JVM options of this role, {@code -Xmx} among them
     * @param roleConfig server properties of this role (quorum, replication, record limits)
     */
    KraftNode(String name, String processName, int id, Path dir, Ports ports, List<String> roleJvmOptions,
            Properties roleConfig) {
        this.name = name;
        this.processName = processName;
        this.id = id;
        this.dir = dir;
        this.ports = ports;
        this.roleJvmOptions = List.copyOf(roleJvmOptions);
        this.roleConfig = roleConfig;
    }

    /**
     * Writes the class-path arg file the nodes' JVMs share (the Kafka classes of this JVM).
     *
     * @param dir where to write {@code broker.classpath.args}
     * @return the file
     * @throws IOException if it cannot be written
     */
    static Path writeClassPathArgs(Path dir) throws IOException {
        Files.createDirectories(dir);
        return ChildProcess.writeClassPathArgFile(dir.resolve("broker.classpath.args"),
                JvmClasspath.forParentWatchedChildRunning(MAIN_CLASS));
    }

    /**
     * Adds the record-size limits for records up to {@code maxMessageBytes} (a whole batch).
     *
     * @param config server properties to add to
     * @param maxMessageBytes the broker's message.max.bytes
     */
    static void recordLimits(Properties config, int maxMessageBytes) {
        // the batch limit, the follower fetch size and the request limit must all admit the largest record
        config.setProperty("message.max.bytes", Integer.toString(maxMessageBytes));
        config.setProperty("replica.fetch.max.bytes", Integer.toString(maxMessageBytes));
        config.setProperty("socket.request.max.bytes",
                Integer.toString(Math.max(KAFKA_DEFAULT_SOCKET_REQUEST_MAX_BYTES, maxMessageBytes + 1024 * 1024)));
    }

    int id() {
        return id;
    }

    Ports ports() {
        return ports;
    }

    Path logFile() {
        return dir.resolve("broker.log");
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** @return true if it was launched and is gone without {@link #stop()} or {@link #kill()} */
    synchronized boolean hasDied() {
        return process != null && !process.isAlive();
    }

    synchronized int exitCode() {
        return process == null ? -1 : process.exitCode().orElse(-1);
    }

    synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** StorageTool writes meta.properties into the log directory; its presence means formatted. */
    boolean isFormatted() {
        return Files.isRegularFile(dir.resolve("kafka-logs").resolve("meta.properties"));
    }

    /**
     * Formats the node's storage with StorageTool, which needs the node's server.properties.
     *
     * @param classpathArgs from {@link #writeClassPathArgs}
     * @param clusterId the same for every node of a cluster
     * @param quorumArgs e.g. {@code --standalone}; none for a static quorum
     * @param timeout how long the tool may run
     * @throws IOException if it fails
     */
    void format(Path classpathArgs, String clusterId, List<String> quorumArgs, Duration timeout) throws IOException {
        Path serverProperties = prepare();
        List<String> command = new ArrayList<>();
        command.add(ChildProcess.javaExecutable());
        command.addAll(jvmOptions());
        command.add("@" + classpathArgs);
        command.addAll(List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", serverProperties.toString()));
        command.addAll(quorumArgs);
        ChildProcess.runToCompletion("kafka-storage-format-" + id, command, logFile(), timeout);
        LOG.info("Formatted Kafka storage in {} (cluster id {})", dir, clusterId);
    }

    /**
     * Launches the node without waiting for it; see {@link #awaitLive}.
     *
     * @param classpathArgs from {@link #writeClassPathArgs}
     * @throws IOException if its files cannot be written or the JVM cannot start
     */
    synchronized void launch(Path classpathArgs) throws IOException {
        Path serverProperties = prepare();
        List<String> command = ChildProcess.parentWatched(jvmOptions(), classpathArgs, MAIN_CLASS,
                List.of(serverProperties.toString()));
        process = ChildProcess.launch(processName, command, Map.of(), logFile(), dir.resolve("broker.pid"));
    }

    /**
     * Stops the node gracefully (SIGTERM: it hands its leaderships over and closes its logs),
     * killing it after {@link #STOP_GRACE}.
     *
     * @return how it ended, or null if it was not launched
     */
    synchronized ChildProcess.Exit stop() {
        if (process == null) {
            return null;
        }
        ChildProcess.Exit exit = process.stop(STOP_GRACE);
        LOG.info("{} {}", name, exit.describe());
        process = null;
        return exit;
    }

    /** Kills the node with SIGKILL, as a crash would. */
    synchronized void kill() {
        if (process != null) {
            process.kill();
            LOG.info("{} killed", name);
            process = null;
        }
    }

    /**
     * Waits until every node in {@code nodes} is listed as a live broker. A listening port is not
     * enough: the socket is bound before the broker has joined the quorum and been unfenced.
     *
     * @param bootstrapServers where to ask
     * @param nodes the nodes to wait for, all launched
     * @param deadlineNanos {@link System#nanoTime()} to give up at
     * @param timeout the timeout behind that deadline, for the message
     * @throws IllegalStateException if a node exits or the deadline passes (with its log tail)
     */
    static void awaitLive(String bootstrapServers, List<KraftNode> nodes, long deadlineNanos, Duration timeout) {
        // a quiet TCP probe first: an Admin client polling a closed port logs a warning per attempt
        for (KraftNode node : nodes) {
            while (!FreePort.isListening(node.ports.client())) {
                checkStarting(nodes, deadlineNanos, timeout);
                pause();
            }
        }
        List<Integer> ids = nodes.stream().map(KraftNode::id).toList();
        Properties adminConfig = new Properties();
        adminConfig.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        adminConfig.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        adminConfig.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        adminConfig.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, "mediaflow-kafka-readiness");
        try (Admin admin = Admin.create(adminConfig)) {
            while (!liveNodes(admin).containsAll(ids)) {
                checkStarting(nodes, deadlineNanos, timeout);
                pause();
            }
        }
    }

    private static void checkStarting(List<KraftNode> nodes, long deadlineNanos, Duration timeout) {
        for (KraftNode node : nodes) {
            node.checkStarting(deadlineNanos, timeout);
        }
    }

    private synchronized void checkStarting(long deadlineNanos, Duration timeout) {
        if (!isAlive()) {
            throw new IllegalStateException(name + " exited during startup: " + firstError() + "; log " + logFile()
                    + ":\n" + (process == null ? "" : process.logTail(40)));
        }
        if (System.nanoTime() > deadlineNanos) {
            throw new IllegalStateException(name + " not live within " + timeout + "; log " + logFile() + ":\n"
                    + process.logTail(40));
        }
    }

    /** The first ERROR line of the latest launch: the cause, which the log's tail (its shutdown) hides. */
    private String firstError() {
        try {
            String log = Files.readString(logFile(), StandardCharsets.UTF_8);
            String latest = log.substring(Math.max(0, log.lastIndexOf("=== ")));
            return latest.lines().filter(l -> l.contains(" ERROR ") || l.contains("Exception")).findFirst()
                    .orElse("(no ERROR line)");
        } catch (IOException | RuntimeException e) {
            return "(cannot read its log: " + e + ")";
        }
    }

    private static List<Integer> liveNodes(Admin admin) {
        try {
            return admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000)).nodes().get(4, TimeUnit.SECONDS)
                    .stream().map(Node::id).toList();
        } catch (ExecutionException | TimeoutException e) {
            return List.of(); // not serving yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka nodes", e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka nodes", e);
        }
    }

    /** Kills a leftover of an earlier run and writes server.properties, fresh on every start. */
    private Path prepare() throws IOException {
        Files.createDirectories(dir);
        ChildProcess.killStale(dir.resolve("broker.pid"));
        Properties config = new Properties();
        String host = FreePort.LOOPBACK_HOST;
        config.setProperty("process.roles", "broker,controller");
        config.setProperty("node.id", Integer.toString(id));
        config.setProperty("listeners", "PLAINTEXT://" + host + ":" + ports.client() + ",CONTROLLER://" + host + ":"
                + ports.controller());
        config.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + ports.client());
        config.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.setProperty("inter.broker.listener.name", "PLAINTEXT");
        config.setProperty("controller.listener.names", "CONTROLLER");
        config.setProperty("log.dirs", dir.resolve("kafka-logs").toString());
        // the 3 s default only helps groups whose many members join at once; here it just delays starts
        config.setProperty("group.initial.rebalance.delay.ms", "0");
        // a killed node is noticed once the controller expires its session (its partitions move, and a
        // restarted node gets DUPLICATE_BROKER_REGISTRATION until then): 4.5 s instead of 9 s,
        // heartbeats keep Kafka's 1:4.5 ratio
        config.setProperty("broker.heartbeat.interval.ms", "1000");
        config.setProperty("broker.session.timeout.ms", "4500");
        config.putAll(roleConfig);
        Path file = dir.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            config.store(out, "written for " + name + " by " + KraftNode.class.getName() + "; regenerated on every start");
        }
        return file;
    }

    private List<String> jvmOptions() {
        List<String> options = new ArrayList<>(roleJvmOptions);
        options.addAll(List.of(
                "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true",
                // marks the process in ps output with the directory it serves
                "-Dmediaflow.dataDir=" + dir,
                // Kafka logs through SLF4J, bound to slf4j-simple (stderr, hence broker.log);
                // system properties beat a simplelogger.properties on the shared class path
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS"));
        return options;
    }
}
