package dev.mediaflow.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.apache.kafka.clients.admin.TopicDescription;
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
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(90);
    private static final int STARTUP_ATTEMPTS = 3;

    private final Path dataDir;
    private final int nodeCount;
    private final String maxHeap;
    private final Duration startupTimeout;
    private final Map<Integer, KraftNode> nodes = new TreeMap<>();
    private Path classpathArgs;

    private KafkaCluster(Builder builder) {
        this.dataDir = builder.dataDir.toAbsolutePath();
        this.nodeCount = builder.nodes;
        this.maxHeap = builder.maxHeap;
        this.startupTimeout = builder.startupTimeout;
        createNodesOnFreePorts();
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
        return nodes.values().stream().map(n -> FreePort.LOOPBACK_HOST + ":" + n.ports().client())
                .collect(Collectors.joining(","));
    }

    /** @return the node ids, 1..n */
    public List<Integer> nodeIds() {
        return List.copyOf(nodes.keySet());
    }

    /**
     * @param nodeId a node id
     * @return the node's client port
     */
    public int clientPort(int nodeId) {
        return node(nodeId).ports().client();
    }

    /**
     * @param nodeId a node id
     * @return true while that node's process runs
     */
    public boolean isRunning(int nodeId) {
        return node(nodeId).isAlive();
    }

    /**
     * @param nodeId a node id
     * @return the node's operating-system pid, for CPU accounting; -1 if it is not running
     */
    public long pid(int nodeId) {
        return node(nodeId).pid();
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
    public void kill(int nodeId) {
        node(nodeId).kill();
    }

    /**
     * Starts a node again on its ports and data directory and waits until the cluster counts it
     * as a live broker again (it has registered with the controllers and been unfenced).
     *
     * @param nodeId the node to start; stopped first if it runs
     */
    public synchronized void restart(int nodeId) {
        KraftNode node = node(nodeId);
        node.stop();
        launch(node);
        KraftNode.awaitLive(bootstrapServers(), List.of(node), System.nanoTime() + startupTimeout.toNanos(),
                startupTimeout);
    }

    /**
     * Stops one node gracefully (SIGTERM: it hands its leaderships over and closes its logs).
     *
     * @param nodeId the node to stop
     */
    public void stop(int nodeId) {
        node(nodeId).stop();
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
        CompletableFuture.allOf(nodes.values().stream().map(n -> CompletableFuture.runAsync(n::stop))
                .toArray(CompletableFuture[]::new)).join();
    }

    @Override
    public String toString() {
        return "KafkaCluster[" + bootstrapServers() + ", " + dataDir + "]";
    }

    private synchronized void startAll() {
        long begin = System.nanoTime();
        try {
            classpathArgs = KraftNode.writeClassPathArgs(dataDir);
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
            nodes.values().forEach(this::launch);
            try {
                KraftNode.awaitLive(bootstrapServers(), List.copyOf(nodes.values()),
                        System.nanoTime() + startupTimeout.toNanos(), startupTimeout);
                return;
            } catch (RuntimeException e) {
                boolean exited = nodes.values().stream().anyMatch(n -> !n.isAlive());
                close();
                if (!exited || attempt == STARTUP_ATTEMPTS) {
                    throw e;
                }
                LOG.warn("Kafka node exited during startup (attempt {} of {}): {}; starting the cluster again on new"
                        + " ports", attempt, STARTUP_ATTEMPTS, e.getMessage().lines().findFirst().orElse(""));
                createNodesOnFreePorts();
            }
        }
    }

    /** Formats the nodes not formatted yet, in parallel (each is a JVM start), with one cluster id. */
    private void formatAll() throws IOException {
        String clusterId = Uuid.randomUuid().toString();
        List<CompletableFuture<Void>> formats = new ArrayList<>();
        for (KraftNode node : nodes.values()) {
            if (!node.isFormatted()) {
                formats.add(CompletableFuture.runAsync(() -> {
                    try {
                        // a static quorum (controller.quorum.voters), so no --standalone / --initial-controllers
                        node.format(classpathArgs, clusterId, List.of(), FORMAT_TIMEOUT);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
            }
        }
        try {
            CompletableFuture.allOf(formats.toArray(CompletableFuture[]::new)).join();
        } catch (RuntimeException e) {
            throw new IOException("cannot format the Kafka cluster's storage", e.getCause() != null ? e.getCause() : e);
        }
    }

    private void launch(KraftNode node) {
        try {
            node.launch(classpathArgs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot launch Kafka node " + node.id() + " in " + nodeDir(node.id()), e);
        }
    }

    /** (Re)creates the nodes, each on two ports free right now; a node's peers are in its config. */
    private void createNodesOnFreePorts() {
        Map<Integer, KraftNode.Ports> ports = new TreeMap<>();
        for (int id = 1; id <= nodeCount; id++) {
            ports.put(id, new KraftNode.Ports(FreePort.find(), FreePort.find()));
        }
        String voters = ports.entrySet().stream()
                .map(e -> e.getKey() + "@" + FreePort.LOOPBACK_HOST + ":" + e.getValue().controller())
                .collect(Collectors.joining(","));
        nodes.clear();
        for (int id : ports.keySet()) {
            Properties config = new Properties();
            config.setProperty("controller.quorum.voters", voters);
            durability(config);
            smallMachine(config);
            KraftNode.recordLimits(config, KafkaBroker.DEFAULT_MAX_RECORD_BYTES + KafkaBroker.BATCH_OVERHEAD_BYTES);
            nodes.put(id, new KraftNode("Kafka node " + id, "kafka-" + id, id, nodeDir(id), ports.get(id),
                    List.of("-Xmx" + maxHeap, "-XX:+UseSerialGC"), config));
        }
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
        // a follower that stopped fetching leaves the ISR after 10 s instead of 30 s
        config.setProperty("replica.lag.time.max.ms", "10000");
    }

    private KraftNode node(int nodeId) {
        KraftNode node = nodes.get(nodeId);
        if (node == null) {
            throw new IllegalArgumentException("no node " + nodeId + " in " + this);
        }
        return node;
    }

    private Path nodeDir(int id) {
        return dataDir.resolve("node-" + id);
    }

    /**
     * @param nodeId a node id
     * @return the file that node's output goes to
     */
    public Path logFile(int nodeId) {
        return node(nodeId).logFile();
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
