package dev.mediaflow.ops.deadletter;

import dev.mediaflow.schemas.deadletter.DeadLetters;
import dev.mediaflow.schemas.topics.ItemKeys;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One record of a dead-letter topic: the rejected bytes and the contract's headers
 * ({@link DeadLetters}), last value of each header.
 */
public record DeadLetter(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
    Map<String, String> headers) {

  public DeadLetter {
    headers = Map.copyOf(headers);
  }

  public static DeadLetter of(ConsumerRecord<byte[], byte[]> record) {
    Map<String, String> headers = new HashMap<>();
    record.headers().forEach(h -> {
      String value = DeadLetters.header(record.headers(), h.key());
      if (value != null) {
        headers.put(h.key(), value);
      }
    });
    return new DeadLetter(record.topic(), record.partition(), record.offset(), record.timestamp(), record.key(),
        record.value(), headers);
  }

  public String stage() {
    return headers.get(DeadLetters.STAGE);
  }

  public String reason() {
    return headers.get(DeadLetters.REASON);
  }

  public String project() {
    return headers.get(DeadLetters.PROJECT);
  }

  public String run() {
    return headers.get(DeadLetters.RUN);
  }

  public String sourceTopic() {
    return headers.get(DeadLetters.SOURCE_TOPIC);
  }

  /** The source partition, or -1 when the header is missing or not a number. */
  public int sourcePartition() {
    try {
      return Integer.parseInt(headers.getOrDefault(DeadLetters.SOURCE_PARTITION, "-1"));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Where this letter was itself re-driven from, when it is the rejection of a re-driven record. */
  public String redrivenFrom() {
    return headers.get(DeadLetters.REDRIVEN_FROM);
  }

  /** {@code partition:offset} on the dead-letter topic. */
  public String position() {
    return partition + ":" + offset;
  }

  /** The item as {@code project/run/key/step/index} (each name percent-encoded), else the record key. */
  public String identity() {
    String key = headers.get(DeadLetters.KEY);
    String step = headers.get(DeadLetters.STEP);
    String index = headers.get(DeadLetters.INDEX);
    if (project() != null && run() != null && key != null && step != null && index != null) {
      try {
        return ItemKeys.of(project(), run(), key, Long.parseLong(step), Integer.parseInt(index));
      } catch (NumberFormatException e) {
        // fall back to the record key
      }
    }
    return this.key == null ? "-" : new String(this.key, StandardCharsets.UTF_8);
  }

  /** Where the rejected record was read: {@code topic-partition@offset}. */
  public String source() {
    if (sourceTopic() == null) {
      return "-";
    }
    return sourceTopic() + "-" + headers.getOrDefault(DeadLetters.SOURCE_PARTITION, "?") + "@"
        + headers.getOrDefault(DeadLetters.SOURCE_OFFSET, "?");
  }

  /** One line, tab-separated: position, stage, identity, reason, source (and what it was re-driven from). */
  public String line() {
    String reason = reason() == null ? "-" : reason().replaceAll("\\s+", " ");
    String line = String.join("\t", position(), String.valueOf(stage()), identity(), reason, source());
    return redrivenFrom() == null ? line : line + "\tre-driven from " + redrivenFrom();
  }
}
