package dev.mediaflow.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real multi-node Apache Kafka cluster (KRaft) on 127.0.0.1: each node a child JVM that is
 * broker and controller at once, the controllers forming a static quorum of all nodes, so any
 * one node can be killed and the others keep a majority.
 *
 * <p>Production-like durability: replication factor {@code nodes} for new topics and for the
 * offsets and transaction state topics, {@code min.insync.replicas=nodes-1} (2 of 3), so an
 * acknowledged write survives the loss of any one node.
 *
 * <p>Ports are fixed for the cluster's lifetime: a killed node restarts on the same ports and
 * data directory ({@code node-<id>/} under the cluster's directory, each holding
 * {@code server.properties}, {@code kafka-logs/}, {@code broker.log}, {@code broker.pid}). Each
 * child runs under {@link ParentWatch}, so it ends with this JVM even on {@code kill -9}.
 */
public final class KafkaCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaCluster.class);
    private static final String MAIN_CLASS = "kafka.Kafka";
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final int STARTUP_ATTEMPTS = 3;

    private final Path dataDir;
    private final int nodeCount;
    private final String maxHeap;
    private final Duration startupTimeout;
    private final Map<Integer, NodePorts> ports = new TreeMap<>();
    private final Map<Integer, ChildProcess> running = new TreeMap<>();
    private Path classpathArgs;

    /** The two ports of one node, fixed for the cluster's lifetime. */
    private record NodePorts(int client, int controller) {}

    private KafkaCluster(Builder builder) {
        this.dataDir = builder.dataDir.toAbsolutePath();
        this.nodeCount = builder.nodes;
        this.maxHeap = builder.maxHeap;
        this.startupTimeout = builder.startupTimeout;
        for (int id = 1; id <= nodeCount; id++) {
            ports.put(id, new NodePorts(FreePort.find(), FreePort.find()));
        }
    }

    /**
     * Returns a builder for a cluster whose nodes keep their data under {@code dataDir}.
     *
     * @param dataDir directory for the nodes' data and logs; created if missing
     * @return a builder; call {@link Builder#start()} to launch
     */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** @return every node's client address, comma-separated, for {@code bootstrap.servers} */
    public String bootstrapServers() {
        return ports.values().stream().map(p -> FreePort.LOOPBACK_HOST + ":" + p.client())
                .collect(Collectors.joining(","));
    }

    /** @return the node ids, 1..n */
    public List<Integer> nodeIds() {
        return List.copyOf(ports.keySet());
    }

    /**
     * @param nodeId a node id
     * @return the node's client port
     */
    public int clientPort(int nodeId) {
        return portsOf(nodeId).client();
    }

    /**
     * @param nodeId a node id
     * @return true while that node's process runs
     */
    public synchronized boolean isRunning(int nodeId) {
        ChildProcess process = running.get(nodeId);
        return process != null && process.isAlive();
    }

    /**
     * @param nodeId a node id
     * @return the node's operating-system pid, for CPU accounting; -1 if it is not running
     */
    public synchronized long pid(int nodeId) {
        ChildProcess process = running.get(nodeId);
        return process == null ? -1 : process.pid();
    }

    /** @return the directory that holds every node's {@code node-<id>/} */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Kills one node with SIGKILL, as a crash of its machine would.
     *
     * @param nodeId the node to kill
     */
    public synchronized void kill(int nodeId) {
        ChildProcess process = running.remove(nodeId);
        if (process != null) {
            process.kill();
            LOG.info("Kafka node {} killed", nodeId);
        }
    }

    /**
     * Starts a node again on its ports and data directory and waits until the cluster counts it
     * as a live broker again (it has registered with the controllers and been unfenced).
     *
     * @param nodeId the node to start; stopped first if it runs
     */
    public synchronized void restart(int nodeId) {
        stop(nodeId);
        launch(nodeId);
        awaitLive(List.of(nodeId));
    }

    /**
     * Stops one node gracefully (SIGTERM: it hands its leaderships over and closes its logs).
     *
     * @param nodeId the node to stop
     */
    public synchronized void stop(int nodeId) {
        ChildProcess process = running.remove(nodeId);
        if (process != null) {
            LOG.info("Kafka node {} {}", nodeId, process.stop(STOP_GRACE).describe());
        }
    }

    /**
     * Counts, per node, the partitions of {@code topics} it leads right now.
     *
     * @param admin a client of this cluster
     * @param topics the topics to look at
     * @return node id to number of partitions led (nodes leading none are absent)
     */
    public static Map<Integer, Integer> leaderCounts(Admin admin, Collection<String> topics) {
        try {
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            Map<Integer, Integer> counts = new TreeMap<>();
            for (TopicDescription topic : described.values()) {
                for (TopicPartitionInfo partition : topic.partitions()) {
                    if (partition.leader() != null) {
                        counts.merge(partition.leader().id(), 1, Integer::sum);
                    }
                }
            }
            return counts;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe topics " + topics, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topics", e);
        }
    }

    /**
     * Finds the node that leads the most partitions of {@code topics}: the one whose loss hurts
     * the most (every partition it leads must elect a new leader).
     *
     * @param topics the topics to look at
     * @return that node's id
     */
    public int leaderOfMostPartitions(Collection<String> topics) {
        try (Admin admin = admin()) {
            return leaderCounts(admin, topics).entrySet().stream().max(Map.Entry.comparingByValue())
                    .map(Map.Entry::getKey).orElseThrow(() -> new IllegalStateException("no partition has a leader"));
        }
    }

    /** @return an Admin client of this cluster; the caller closes it */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "mediaflow-cluster-admin"));
    }

    /**
     * Stops every node at once: one after the other, the last would wait for a controller
     * majority that is already gone before giving up its controlled shutdown.
     */
    @Override
    public synchronized void close() {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (Map.Entry<Integer, ChildProcess> node : running.entrySet()) {
            stops.add(CompletableFuture.runAsync(() -> LOG.info("Kafka node {} {}", node.getKey(),
                    node.getValue().stop(STOP_GRACE).describe())));
        }
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
        running.clear();
    }

    @Override
    public String toString() {
        return "KafkaCluster[" + bootstrapServers() + ", " + dataDir + "]";
    }

    private synchronized void startAll() {
        long begin = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
            classpathArgs = ChildProcess.writeClassPathArgFile(dataDir.resolve("broker.classpath.args"),
                    JvmClasspath.forParentWatchedChildRunning(MAIN_CLASS));
            formatAll();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka cluster in " + dataDir, e);
        }
        launchAllOnFreePorts();
        LOG.info("Kafka cluster of {} nodes {} ready in {} ms (data {})", nodeCount, bootstrapServers(),
                (System.nanoTime() - begin) / 1_000_000, dataDir);
    }

    /**
     * Launches every node and waits until all are live. A node that exits during this first
     * start most often lost the race for a port picked free a moment before (other programs on
     * the machine bind ports too): the cluster is then stopped and started on new ports, twice
     * at most.
     */
    private void launchAllOnFreePorts() {
        for (int attempt = 1; ; attempt++) {
            for (int id : ports.keySet()) {
                launch(id);
            }
            try {
                awaitLive(nodeIds());
                return;
            } catch (RuntimeException e) {
                boolean exited = nodeIds().stream().anyMatch(id -> !isRunning(id));
                close();
                if (!exited || attempt == STARTUP_ATTEMPTS) {
                    throw e;
                }
                LOG.warn("Kafka node exited during startup (attempt {} of {}): {}; starting the cluster again on new"
                        + " ports", attempt, STARTUP_ATTEMPTS, e.getMessage().lines().findFirst().orElse(""));
                ports.replaceAll((id, p) -> new NodePorts(FreePort.find(), FreePort.find()));
            }
        }
    }

    /** Formats the nodes not formatted yet, in parallel (each is a JVM start), with one cluster id. */
    private void formatAll() throws IOException {
        String clusterId = Uuid.randomUuid().toString();
        List<CompletableFuture<Void>> formats = new ArrayList<>();
        for (int id : ports.keySet()) {
            Path serverProperties = writeServerProperties(id);
            if (!Files.isRegularFile(nodeDir(id).resolve("kafka-logs").resolve("meta.properties"))) {
                formats.add(CompletableFuture.runAsync(() -> format(id, serverProperties, clusterId)));
            }
        }
        try {
            CompletableFuture.allOf(formats.toArray(CompletableFuture[]::new)).join();
        } catch (RuntimeException e) {
            throw new IOException("cannot format the Kafka cluster's storage", e.getCause() != null ? e.getCause() : e);
        }
    }

    private void format(int id, Path serverProperties, String clusterId) {
        List<String> command = new ArrayList<>();
        command.add(ChildProcess.javaExecutable());
        command.addAll(jvmOptions(id));
        command.add("@" + classpathArgs);
        // a static quorum (controller.quorum.voters), so no --standalone / --initial-controllers
        command.addAll(List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c",
                serverProperties.toString()));
        try {
            ChildProcess.runToCompletion("kafka-storage-format-" + id, command, logFile(id), Duration.ofSeconds(90));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void launch(int id) {
        try {
            Path pidFile = nodeDir(id).resolve("broker.pid");
            ChildProcess.killStale(pidFile);
            Path serverProperties = writeServerProperties(id);
            List<String> command = ChildProcess.parentWatched(jvmOptions(id), classpathArgs, MAIN_CLASS,
                    List.of(serverProperties.toString()));
            running.put(id, ChildProcess.launch("kafka-" + id, command, Map.of(), logFile(id), pidFile));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot launch Kafka node " + id + " in " + nodeDir(id), e);
        }
    }

    private Path writeServerProperties(int id) throws IOException {
        Files.createDirectories(nodeDir(id));
        Properties config = new Properties();
        String host = FreePort.LOOPBACK_HOST;
        NodePorts own = portsOf(id);
        config.setProperty("process.roles", "broker,controller");
        config.setProperty("node.id", Integer.toString(id));
        config.setProperty("listeners", "PLAINTEXT://" + host + ":" + own.client() + ",CONTROLLER://" + host + ":"
                + own.controller());
        config.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + own.client());
        config.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.setProperty("inter.broker.listener.name", "PLAINTEXT");
        config.setProperty("controller.listener.names", "CONTROLLER");
        config.setProperty("controller.quorum.voters", ports.entrySet().stream()
                .map(e -> e.getKey() + "@" + host + ":" + e.getValue().controller()).collect(Collectors.joining(",")));
        config.setProperty("log.dirs", nodeDir(id).resolve("kafka-logs").toString());
        durability(config);
        smallMachine(config);
        int maxMessageBytes = KafkaBroker.DEFAULT_MAX_RECORD_BYTES + KafkaBroker.BATCH_OVERHEAD_BYTES;
        config.setProperty("message.max.bytes", Integer.toString(maxMessageBytes));
        config.setProperty("replica.fetch.max.bytes", Integer.toString(maxMessageBytes));
        config.setProperty("socket.request.max.bytes", Integer.toString(maxMessageBytes + 1024 * 1024));
        Path file = nodeDir(id).resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            config.store(out, "written by " + KafkaCluster.class.getName() + "; regenerated on every start");
        }
        return file;
    }

    /** What production runs: every partition on every node, a write acknowledged by 2 of 3. */
    private void durability(Properties config) {
        String all = Integer.toString(nodeCount);
        String minIsr = Integer.toString(Math.max(1, nodeCount - 1));
        config.setProperty("default.replication.factor", all);
        config.setProperty("min.insync.replicas", minIsr);
        config.setProperty("offsets.topic.replication.factor", all);
        config.setProperty("transaction.state.log.replication.factor", all);
        config.setProperty("transaction.state.log.min.isr", minIsr);
        config.setProperty("share.coordinator.state.topic.replication.factor", all);
        config.setProperty("share.coordinator.state.topic.min.isr", minIsr);
        // an out-of-sync replica never becomes leader: that would drop acknowledged records
        config.setProperty("unclean.leader.election.enable", "false");
    }

    /** Three brokers share two cores with the services: fewer threads, quicker failure detection. */
    private static void smallMachine(Properties config) {
        config.setProperty("num.network.threads", "2");
        config.setProperty("num.io.threads", "2");
        config.setProperty("num.replica.fetchers", "1");
        config.setProperty("group.initial.rebalance.delay.ms", "0");
        // a killed node's partitions move to a new leader once its session expires: 4.5 s, not 9 s
        config.setProperty("broker.heartbeat.interval.ms", "1000");
        config.setProperty("broker.session.timeout.ms", "4500");
        // a follower that stopped fetching leaves the ISR after 10 s instead of 30 s
        config.setProperty("replica.lag.time.max.ms", "10000");
    }

    private List<String> jvmOptions(int id) {
        return List.of(
                "-Xmx" + maxHeap,
                "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true",
                "-Dmediaflow.dataDir=" + nodeDir(id),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS");
    }

    /** Waits until every node in {@code ids} is listed as a live broker by the cluster. */
    private void awaitLive(List<Integer> ids) {
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        // a quiet TCP probe first: an Admin client polling closed ports logs a warning per attempt
        for (int id : ids) {
            while (!FreePort.isListening(clientPort(id))) {
                checkProgress(ids, deadline);
                pause();
            }
        }
        Properties adminConfig = new Properties();
        adminConfig.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        adminConfig.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        adminConfig.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        adminConfig.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, "mediaflow-cluster-readiness");
        try (Admin admin = Admin.create(adminConfig)) {
            while (!liveNodes(admin).containsAll(ids)) {
                checkProgress(ids, deadline);
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka nodes", e);
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

    private synchronized void checkProgress(List<Integer> ids, long deadlineNanos) {
        for (int id : ids) {
            ChildProcess process = running.get(id);
            if (process == null || !process.isAlive()) {
                throw new IllegalStateException("Kafka node " + id + " exited during startup: " + firstError(id)
                        + "; log " + logFile(id) + ":\n" + (process == null ? "" : process.logTail(40)));
            }
            if (System.nanoTime() > deadlineNanos) {
                throw new IllegalStateException("Kafka node " + id + " not live within " + startupTimeout + "; log "
                        + logFile(id) + ":\n" + process.logTail(40));
            }
        }
    }

    /** The first ERROR line of the node's latest launch: the cause, which the log's tail (its shutdown) hides. */
    private String firstError(int id) {
        try {
            String log = Files.readString(logFile(id), StandardCharsets.UTF_8);
            String latest = log.substring(Math.max(0, log.lastIndexOf("=== ")));
            return latest.lines().filter(l -> l.contains(" ERROR ") || l.contains("Exception")).findFirst()
                    .orElse("(no ERROR line)");
        } catch (IOException | RuntimeException e) {
            return "(cannot read its log: " + e + ")";
        }
    }

    private NodePorts portsOf(int nodeId) {
        NodePorts p = ports.get(nodeId);
        if (p == null) {
            throw new IllegalArgumentException("no node " + nodeId + " in " + this);
        }
        return p;
    }

    private Path nodeDir(int id) {
        return dataDir.resolve("node-" + id);
    }

    /**
     * @param nodeId a node id
     * @return the file that node's output goes to
     */
    public Path logFile(int nodeId) {
        return nodeDir(nodeId).resolve("broker.log");
    }

    /** Options for a cluster; every one has a default. */
    public static final class Builder {
        private final Path dataDir;
        private int nodes = 3;
        private String maxHeap = "384m";
        private Duration startupTimeout = Duration.ofSeconds(120);

        private Builder(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        }

        /**
         * @param nodes how many broker+controller nodes, 3 (the default) or more; an odd number
         *     keeps a controller majority through the loss of (nodes-1)/2 of them
         * @return this builder
         */
        public Builder nodes(int nodes) {
            if (nodes < 3) {
                throw new IllegalArgumentException("a cluster has at least 3 nodes (use KafkaBroker for one): " + nodes);
            }
            this.nodes = nodes;
            return this;
        }

        /**
         * @param maxHeap each node's -Xmx, default "384m"
         * @return this builder
         */
        public Builder maxHeap(String maxHeap) {
            this.maxHeap = Objects.requireNonNull(maxHeap, "maxHeap");
            return this;
        }

        /**
         * @param startupTimeout how long the nodes may take to become live; default 120 s
         * @return this builder
         */
        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = Objects.requireNonNull(startupTimeout, "startupTimeout");
            return this;
        }

        /**
         * Formats the nodes' storage (first start only), launches every node and waits until all
         * are live brokers.
         *
         * @return the running cluster
         * @throws IllegalStateException if a node exits or is not live in time (with its log tail)
         */
        public KafkaCluster start() {
            KafkaCluster cluster = new KafkaCluster(this);
            cluster.startAll();
            return cluster;
        }
    }
}
