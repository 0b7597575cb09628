package dev.mediaflow.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the Kafka cluster answers, for readiness: every {@code interval} an Admin client asks
 * {@code describeCluster} with a short timeout on a background thread, and {@link #check()}
 * returns the cached answer (cheap, never blocks a health request).
 *
 * <p>Why an active probe rather than the clients' own metrics (connection-count, last request):
 * an idle client has no traffic and may have closed its connections, so its metrics cannot tell
 * "idle" from "broker gone"; a probe answers the same question the same way for the gateway
 * (often idle), Kafka Streams and the sink. It costs one connection and one small request every
 * few seconds. With the defaults (every 2 s, 2 s timeout) a lost broker shows as DOWN within
 * about 4 s, and as UP again at the first probe after it returns.
 */
public final class KafkaProbe implements AutoCloseable {
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  private static final Logger LOG = LoggerFactory.getLogger(KafkaProbe.class);

  private final Admin admin;
  private final Duration interval;
  private final Duration timeout;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "kafka-health-probe");
    thread.setDaemon(true);
    return thread;
  });
  private volatile boolean reachable;
  private volatile long lastAnswerNanos = System.nanoTime();
  private volatile String lastFailure = "not probed yet";

  /**
   * Starts probing at once.
   *
   * @param clientSettings the service's Kafka client settings ({@code bootstrap.servers}, security);
   *     keys an Admin client does not know are ignored
   */
  public KafkaProbe(Map<String, ?> clientSettings, Duration interval, Duration timeout) {
    this(clientSettings, interval, timeout, Admin::create);
  }

  /** As above, the Admin client made by {@code create} from the final settings (to bind its metrics). */
  KafkaProbe(Map<String, ?> clientSettings, Duration interval, Duration timeout,
      Function<Map<String, Object>, Admin> create) {
    this.interval = interval;
    this.timeout = timeout;
    this.admin = create.apply(adminSettings(clientSettings, timeout));
    scheduler.scheduleWithFixedDelay(this::probe, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  public KafkaProbe(Map<String, ?> clientSettings) {
    this(clientSettings, DEFAULT_INTERVAL, DEFAULT_TIMEOUT);
  }

  static Map<String, Object> adminSettings(Map<String, ?> clientSettings, Duration timeout) {
    Map<String, Object> settings = new HashMap<>();
    clientSettings.forEach((key, value) -> {
      if (AdminClientConfig.configNames().contains(key)) {
        settings.put(key, value);
      }
    });
    settings.put(AdminClientConfig.CLIENT_ID_CONFIG, "mediaflow-health-probe");
    settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    // reconnect at least every second while the broker is away, so its return is seen quickly
    settings.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    return settings;
  }

  private void probe() {
    try {
      admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis())).clusterId()
          .get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
      lastAnswerNanos = System.nanoTime();
      if (!reachable) {
        LOG.info("kafka cluster reachable");
      }
      reachable = true;
    } catch (ExecutionException e) {
      failed(e.getCause() == null ? e : e.getCause());
    } catch (TimeoutException | RuntimeException e) {
      failed(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void failed(Throwable error) {
    lastFailure = error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
    if (reachable) {
      // one line per change, not per probe: an outage of minutes must not flood the log
      LOG.warn("kafka cluster unreachable (readiness DOWN): {}", lastFailure);
    }
    reachable = false;
  }

  /** {@code kafka} UP when the last probe was answered (and recently), DOWN with the last failure otherwise. */
  public HealthCheck check() {
    long sinceMs = (System.nanoTime() - lastAnswerNanos) / 1_000_000;
    // a stuck probe thread must not keep an old UP alive
    boolean recent = sinceMs <= interval.toMillis() + 2 * timeout.toMillis();
    if (reachable && recent) {
      return HealthCheck.up("kafka", "cluster answered " + sinceMs + " ms ago");
    }
    return HealthCheck.down("kafka", "no answer from the cluster for " + sinceMs + " ms: " + lastFailure);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    admin.close(Duration.ofSeconds(2));
  }
}
