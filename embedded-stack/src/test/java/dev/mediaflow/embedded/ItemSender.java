package dev.mediaflow.embedded;

import dev.mediaflow.ingest.client.MediaProducer;
import dev.mediaflow.schemas.avro.ImagePayload;
import dev.mediaflow.schemas.avro.MediaEvent;
import dev.mediaflow.schemas.avro.MediaIdentity;
import dev.mediaflow.schemas.avro.NdArray;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Sends a known set of small images through the JVM client at a steady pace, in the background. */
final class ItemSender implements AutoCloseable {
  private final MediaProducer producer;
  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  ItemSender(EmbeddedStack stack) {
    // a patient client: its sends ride out a broker restart instead of failing after the gateway's 30 s
    this.producer = new MediaProducer(Map.of("bootstrap.servers", stack.bootstrapServers()), stack.topics(),
        Duration.ofMinutes(2));
  }

  /** Sends {@code count} items of one run, one every {@code pauseMs}; the future gives how many were acknowledged. */
  Future<Integer> send(String project, String run, int count, long pauseMs) {
    return executor.submit(() -> {
      List<CompletableFuture<?>> acks = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        acks.add(producer.send(image(project, run, i)));
        Thread.sleep(pauseMs);
      }
      int acknowledged = 0;
      for (CompletableFuture<?> ack : acks) {
        try {
          ack.join();
          acknowledged++;
        } catch (RuntimeException e) {
          System.err.println("not acknowledged: " + e);
        }
      }
      return acknowledged;
    });
  }

  static MediaEvent image(String project, String run, int i) {
    byte[] pixels = new byte[8 * 8];
    for (int p = 0; p < pixels.length; p++) {
      pixels[p] = (byte) (i * 7 + p);
    }
    NdArray array = new NdArray("uint8", List.of(8L, 8L), ByteBuffer.wrap(pixels));
    return MediaEvent.newBuilder()
        .setIdentity(new MediaIdentity(project, run, "frames", (long) i / 4, i % 4))
        .setTimestamp(Instant.now())
        .setProducerId("it")
        .setPayload(ImagePayload.newBuilder().setArray(array).setCaption("item " + i).build())
        .build();
  }

  @Override
  public void close() {
    executor.shutdownNow();
    producer.close();
  }
}
