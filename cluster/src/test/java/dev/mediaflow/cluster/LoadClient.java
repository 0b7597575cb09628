package dev.mediaflow.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediaflow.ingest.client.LogCallRequest;
import dev.mediaflow.ingest.npy.NpyWriter;
import dev.mediaflow.schemas.topics.ItemKeys;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A training run logging through several gateways at once: one thread per gateway, each posting
 * a call of {@link #IMAGES_PER_CALL} small images per step, and recording by identity every item
 * a gateway acknowledged (a 200 whose {@code rejected} list does not name it). Calls that fail
 * (a refused connection while an instance is down, a 503) are counted, not retried.
 */
final class LoadClient implements AutoCloseable {
  static final int IMAGES_PER_CALL = 4;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String project;
  private final String run;
  private final String apiKey;
  private final long pauseMillis;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final AtomicInteger failedCalls = new AtomicInteger();
  private final AtomicInteger calls = new AtomicInteger();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;

  LoadClient(String project, String run, String apiKey, long pauseMillis) {
    this.project = project;
    this.run = run;
    this.apiKey = apiKey;
    this.pauseMillis = pauseMillis;
  }

  /** Starts one logging thread per gateway URL; each logs under key {@code g<n>}. */
  LoadClient start(List<String> gatewayUrls) {
    running = true;
    for (int g = 0; g < gatewayUrls.size(); g++) {
      String url = gatewayUrls.get(g);
      String key = "g" + (g + 1);
      Thread thread = new Thread(() -> loop(url, key), "load-" + key);
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
    return this;
  }

  /** Logs {@code steps} calls from {@code firstStep} through one gateway, synchronously; returns the items acknowledged. */
  int logSteps(String gatewayUrl, String key, long firstStep, int steps) {
    int before = acknowledged.size();
    for (long step = firstStep; step < firstStep + steps; step++) {
      call(gatewayUrl, key, step);
    }
    return acknowledged.size() - before;
  }

  private void loop(String url, String key) {
    for (long step = 0; running; step++) {
      call(url, key, step);
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void call(String url, String key, long step) {
    calls.incrementAndGet();
    try {
      HttpResponse<String> response = http.send(request(url, key, step), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        failedCalls.incrementAndGet();
        return;
      }
      Set<Integer> rejected = new HashSet<>();
      for (JsonNode r : JSON.readTree(response.body()).path("rejected")) {
        rejected.add(r.path("index").asInt());
      }
      for (int index = 0; index < IMAGES_PER_CALL; index++) {
        if (!rejected.contains(index)) {
          acknowledged.add(ItemKeys.of(project, run, key, step, index));
        }
      }
    } catch (IOException e) {
      failedCalls.incrementAndGet();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private HttpRequest request(String url, String key, long step) {
    StringBuilder items = new StringBuilder();
    List<byte[]> parts = new ArrayList<>();
    for (int index = 0; index < IMAGES_PER_CALL; index++) {
      items.append(index == 0 ? "" : ", ").append("{\"_type\": \"image\", \"array\": \"p").append(index).append("\"}");
      byte[] pixels = new byte[16 * 16];
      for (int p = 0; p < pixels.length; p++) {
        pixels[p] = (byte) (step * 31 + index * 7 + p);
      }
      parts.add(NpyWriter.write("uint8", new long[] {16, 16}, pixels));
    }
    LogCallRequest call = new LogCallRequest("{\"step\": " + step + ", \"data\": {\"" + key + "\": [" + items + "]}}");
    for (int index = 0; index < IMAGES_PER_CALL; index++) {
      call.part("p" + index, "p" + index + ".npy", "application/octet-stream", parts.get(index));
    }
    return HttpRequest.newBuilder(call.build(url, project, run), (n, v) -> true)
        .header("Authorization", "Bearer " + apiKey).timeout(Duration.ofSeconds(30)).build();
  }

  /** @return the identities (record keys) of every item a gateway acknowledged */
  Set<String> acknowledged() {
    return Set.copyOf(acknowledged);
  }

  int calls() {
    return calls.get();
  }

  int failedCalls() {
    return failedCalls.get();
  }

  /** Stops the logging threads after their call under way. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread thread : threads) {
      thread.join(Duration.ofSeconds(40).toMillis());
    }
  }
}
