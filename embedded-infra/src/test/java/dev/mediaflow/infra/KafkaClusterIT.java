package dev.mediaflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three KRaft nodes as child JVMs: replicated by default, and an acknowledged write survives a kill -9. */
class KafkaClusterIT {

    @TempDir
    Path dataDir;

    @Test
    void shouldKeepEveryAcknowledgedRecordWhenTheBusiestLeaderIsKilledAndRestarted() throws Exception {
        long begin = System.nanoTime();
        try (KafkaCluster cluster = KafkaCluster.builder(dataDir).start(); Admin admin = cluster.admin()) {
            long startedMillis = (System.nanoTime() - begin) / 1_000_000;
            // Given a topic created without a replication factor: the cluster's default applies
            String topic = "replicated";
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) -1))).all().get(30, TimeUnit.SECONDS);
            assertThat(describeWhenKnown(admin, topic).partitions())
                    .allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            ConfigEntry minIsr = admin.describeConfigs(List.of(resource)).all().get().get(resource)
                    .get("min.insync.replicas");
            assertThat(minIsr.value()).isEqualTo("2");

            try (KafkaProducer<String, String> producer = producer(cluster)) {
                send(producer, topic, 0, 100);
                // When the node leading the most partitions is killed, and records keep coming
                int victim = cluster.leaderOfMostPartitions(List.of(topic));
                long killAt = System.nanoTime();
                cluster.kill(victim);
                send(producer, topic, 100, 200);
                long writtenWithoutMillis = (System.nanoTime() - killAt) / 1_000_000;
                assertThat(KafkaCluster.leaderCounts(admin, List.of(topic))).doesNotContainKey(victim);
                long restartAt = System.nanoTime();
                cluster.restart(victim);
                long restartMillis = (System.nanoTime() - restartAt) / 1_000_000;
                send(producer, topic, 200, 300);
                System.out.printf("[figures] kafka cluster: 3 nodes started in %d ms; node %d (most leaders) killed,"
                        + " 100 records acknowledged without it in %d ms, restarted in %d ms%n", startedMillis, victim,
                        writtenWithoutMillis, restartMillis);
            }

            // Then every acknowledged record is there, once
            assertThat(consumeAll(cluster, topic, 300)).hasSize(300);
        }
    }

    /** A topic just created may not be in every node's metadata yet. */
    private static TopicDescription describeWhenKnown(Admin admin, String topic) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static KafkaProducer<String, String> producer(KafkaCluster cluster) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new StringSerializer());
    }

    private static void send(KafkaProducer<String, String> producer, String topic, int from, int to) throws Exception {
        List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
        for (int i = from; i < to; i++) {
            acks.add(producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)));
        }
        for (java.util.concurrent.Future<?> ack : acks) {
            ack.get(60, TimeUnit.SECONDS);
        }
    }

    private static Set<String> consumeAll(KafkaCluster cluster, String topic, int expected) {
        Set<String> keys = new java.util.HashSet<>();
        List<String> all = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "check", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (all.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    all.add(r.key());
                    keys.add(r.key());
                });
            }
        }
        assertThat(all).as("no record twice").hasSameSizeAs(keys);
        return keys;
    }
}
