package dev.mediaflow.bench.e2e;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The ceiling to compare the pipeline with: a plain producer (configured like
 * {@code MediaProducer}: idempotent, acks=all, linger 5 ms, no compression) and a plain
 * consumer running at the same time on a scratch topic of the same broker, moving the same
 * payload bytes the load generator sends (one record per item: the bytes of the part the item
 * names, or its JSON spec when it is carried inline; {@link LoadMix.Call#payloads()}). Throughput is bytes over the
 * time from the first send to the last record consumed.
 */
final class RawKafkaBaseline {
  static final String TOPIC = "bench.raw-baseline";

  record Result(long records, long bytes, double seconds, double produceSeconds) {
    double mbPerSecond() {
      return bytes / seconds / 1e6;
    }

    double produceMbPerSecond() {
      return bytes / produceSeconds / 1e6;
    }
  }

  private RawKafkaBaseline() {}

  static Result run(String bootstrap, LoadMix mix, long byteBudget, Duration limit, Consumer<String> progress)
      throws InterruptedException, ExecutionException {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      if (!admin.listTopics().names().get().contains(TOPIC)) {
        admin.createTopics(List.of(new NewTopic(TOPIC, 4, (short) 1)
            .configs(Map.of("max.message.bytes", String.valueOf(65 * 1024 * 1024))))).all().get();
      }
    }
    AtomicLong consumedBytes = new AtomicLong();
    AtomicLong consumedRecords = new AtomicLong();
    AtomicLong producedBytes = new AtomicLong();
    AtomicLong lastConsumedNanos = new AtomicLong();
    long[] producerDone = {0};
    Thread consumer = new Thread(() -> consume(bootstrap, consumedBytes, consumedRecords, lastConsumedNanos,
        producedBytes, producerDone), "raw-baseline-consumer");
    consumer.start();
    Thread.sleep(1500); // let the consumer get its partitions before the clock starts
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    long records = 0;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(bootstrap),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      long lastReport = start;
      for (long step = 0; producedBytes.get() < byteBudget && System.nanoTime() < deadline; step++) {
        LoadMix.Call call = mix.call(step);
        for (int i = 0; i < call.payloads().size(); i++) {
          byte[] value = call.payloads().get(i);
          byte[] key = ("baseline/" + step + "/" + i).getBytes();
          producer.send(new ProducerRecord<>(TOPIC, key, value));
          producedBytes.addAndGet(value.length);
          records++;
        }
        if (System.nanoTime() - lastReport > 5e9) {
          lastReport = System.nanoTime();
          progress.accept(String.format("raw Kafka baseline: produced %.0f MB, consumed %.0f MB",
              producedBytes.get() / 1e6, consumedBytes.get() / 1e6));
        }
      }
      producer.flush();
    }
    long produceEnd = System.nanoTime();
    synchronized (producerDone) {
      producerDone[0] = records;
    }
    consumer.join(120_000);
    double seconds = (lastConsumedNanos.get() - start) / 1e9;
    return new Result(consumedRecords.get(), consumedBytes.get(), seconds, (produceEnd - start) / 1e9);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Map<String, Object> producerConfig(String bootstrap) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 65 * 1024 * 1024);
    c.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024);
    return c;
  }

  private static void consume(String bootstrap, AtomicLong bytes, AtomicLong records, AtomicLong lastNanos,
      AtomicLong produced, long[] producerDone) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-raw-baseline");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 65 * 1024 * 1024);
    c.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 65 * 1024 * 1024);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = List.of();
      for (int tries = 0; partitions.isEmpty() && tries < 100; tries++) {
        // a new topic's metadata takes a moment to reach the client
        partitions = consumer.partitionsFor(TOPIC).stream()
            .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
        sleep(100);
      }
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position); // resolve "end" now, before the producer starts
      long idleSince = System.nanoTime();
      while (true) {
        var batch = consumer.poll(Duration.ofMillis(100));
        for (ConsumerRecord<byte[], byte[]> r : batch) {
          bytes.addAndGet(r.value().length);
          records.incrementAndGet();
          lastNanos.set(System.nanoTime());
        }
        if (!batch.isEmpty()) {
          idleSince = System.nanoTime();
        }
        long expected;
        synchronized (producerDone) {
          expected = producerDone[0];
        }
        if (expected > 0 && records.get() >= expected) {
          return;
        }
        if (System.nanoTime() - idleSince > 60e9) {
          return; // nothing for a minute: give up, the result will show the shortfall
        }
      }
    }
  }
}
