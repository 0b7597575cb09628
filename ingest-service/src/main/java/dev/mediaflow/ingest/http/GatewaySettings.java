package dev.mediaflow.ingest.http;

import dev.mediaflow.ingest.IngestConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The gateway's address, limits and timeouts (see {@link IngestConfig} for each key).
 *
 * @param host address to bind
 * @param port port to bind; 0 picks a free one
 * @param callThreads log calls processed at once (parsing and waiting for Kafka)
 * @param maxRequestBytes largest body
 * @param maxPartBytes largest part
 * @param maxParts most parts in a call
 * @param maxHeaderBytes largest request headers, and largest headers of a part
 * @param idleTimeout a connection silent this long is dropped
 * @param callTimeout deadline of one log call, from its items' first send to the answer
 * @param memoryBudgetBytes heap that calls in flight may hold together
 * @param spoolDir where large parts wait on disk; null: the system temp dir
 * @param callsPerSecond per-project limit, 0 off
 * @param bytesPerSecond per-project limit, 0 off
 */
public record GatewaySettings(String host, int port, int callThreads, long maxRequestBytes, long maxPartBytes,
    int maxParts, int maxHeaderBytes, Duration idleTimeout, Duration callTimeout, long memoryBudgetBytes,
    Path spoolDir, double callsPerSecond, double bytesPerSecond) {

  /** The settings of {@code config}. */
  public static GatewaySettings of(IngestConfig config) {
    long budget = config.getLong(IngestConfig.MEMORY_BUDGET_BYTES);
    String spool = config.getString(IngestConfig.HTTP_SPOOL_DIR);
    return new GatewaySettings(config.getString(IngestConfig.HTTP_HOST), config.getInt(IngestConfig.HTTP_PORT),
        config.getInt(IngestConfig.HTTP_THREADS), config.getLong(IngestConfig.HTTP_MAX_REQUEST_BYTES),
        config.getLong(IngestConfig.HTTP_MAX_PART_BYTES), config.getInt(IngestConfig.HTTP_MAX_PARTS),
        config.getInt(IngestConfig.HTTP_MAX_HEADER_BYTES),
        Duration.ofMillis(config.getLong(IngestConfig.HTTP_IDLE_TIMEOUT_MS)), config.callTimeout(),
        budget > 0 ? budget : MemoryBudget.defaultCapacity(), spool.isBlank() ? null : Path.of(spool),
        config.getDouble(IngestConfig.RATE_LIMIT_CALLS_PER_SECOND),
        config.getDouble(IngestConfig.RATE_LIMIT_BYTES_PER_SECOND));
  }
}
