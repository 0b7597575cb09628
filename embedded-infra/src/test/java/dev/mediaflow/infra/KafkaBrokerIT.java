package dev.mediaflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One broker for the class (starting one costs seconds); each test uses its own topic. */
class KafkaBrokerIT {

    private static final int MIB = 1024 * 1024;

    @TempDir
    static Path dataDir;

    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start(dataDir);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldKeepA5MbRecordAcrossAGracefulRestartOnTheSameDataDir() throws Exception {
        // Given a topic holding a 5 MB record
        String topic = newTopic();
        byte[] payload = randomBytes(5 * MIB);
        produce(topic, "item-1", payload);
        assertThat(consumeAll(topic, 1)).singleElement().satisfies(r -> assertThat(r.value()).isEqualTo(payload));
        String bootstrap = broker.bootstrapServers();

        // When the broker is stopped and started again on the same directory
        broker.stop();
        assertThat(broker.isRunning()).isFalse();
        broker.restart();

        // Then it is back on the same address and the record is still there
        assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
        List<ConsumerRecord<String, byte[]>> records = consumeAll(topic, 1);
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("item-1");
            assertThat(r.value()).isEqualTo(payload);
        });
    }

    @Test
    void shouldKeepAcknowledgedRecordsWhenTheBrokerIsKilled() throws Exception {
        // Given a record acknowledged by the broker (acks=all)
        String topic = newTopic();
        byte[] payload = randomBytes(64 * 1024);
        produce(topic, "item-1", payload);

        // When the broker process dies without shutting down, and is started again
        broker.kill();
        assertThat(broker.isRunning()).isFalse();
        broker.restart();

        // Then the acknowledged record survived (the OS still had it even though Kafka never fsynced)
        assertThat(consumeAll(topic, 1)).singleElement().satisfies(r -> assertThat(r.value()).isEqualTo(payload));
    }

    @Test
    void shouldAcceptARecordOfTheDefaultMaximumSize() throws Exception {
        // Given a topic without its own size limit, so the broker's message.max.bytes applies
        String topic = newTopic();
        byte[] payload = randomBytes(KafkaBroker.DEFAULT_MAX_RECORD_BYTES);

        // When a record of exactly the default maximum (64 MiB) is produced
        produce(topic, "big", payload);

        // Then it is stored and delivered whole
        assertThat(consumeAll(topic, 1)).singleElement().satisfies(r -> assertThat(r.value()).isEqualTo(payload));
    }

    @Test
    void shouldWriteItsOutputAndPidIntoTheDataDir() {
        // Given the running broker
        // When looking into its data directory
        // Then the log, the pid file and the formatted storage are there
        assertThat(broker.logFile()).isRegularFile().content().contains("Kafka Server started");
        assertThat(dataDir.resolve("broker.pid")).isRegularFile();
        assertThat(dataDir.resolve("kafka-logs").resolve("meta.properties")).isRegularFile();
    }

    private static String newTopic() throws Exception {
        String topic = "t-" + UUID.randomUUID();
        Properties config = new Properties();
        config.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        return topic;
    }

    private static void produce(String topic, String key, byte[] value) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, broker.maxMessageBytes(),
                // the accumulator must hold a whole record; its 32 MiB default would reject 64 MiB
                ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * broker.maxMessageBytes());
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static List<ConsumerRecord<String, byte[]>> consumeAll(String topic, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "g-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
