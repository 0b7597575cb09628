package dev.mediaflow.query;

import dev.mediaflow.ingest.auth.ApiKeyAuthenticator;
import dev.mediaflow.metadata.ApiKeyStore;
import dev.mediaflow.metadata.MetadataDatabase;
import dev.mediaflow.query.api.ApiRouter;
import dev.mediaflow.query.auth.ReadAccess;
import dev.mediaflow.query.http.QueryServer;
import dev.mediaflow.query.media.PreviewCache;
import dev.mediaflow.query.store.MediaStore;
import dev.mediaflow.query.store.ObjectReader;
import dev.mediaflow.runtime.HealthCheck;
import dev.mediaflow.runtime.Metrics;
import dev.mediaflow.runtime.ServiceRuntime;
import dev.mediaflow.runtime.Shutdown;
import dev.mediaflow.runtime.Startup;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query service: a read-only JSON API over the metadata store and S3, and the media browser
 * (docs/QUERY-API.md). It opens the store the sink writes (migrating it with the one shared
 * migration set, as every service does) and reads the sink's bucket. It runs on the shared
 * {@link ServiceRuntime} without Kafka: lifecycle log lines, and its HTTP server serves the runtime's
 * health and {@code /metrics} (JVM meters, requests by route and status class, preview cache hits,
 * misses and bytes, bytes streamed).
 */
public final class QueryService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QueryService.class);

  private final ServiceRuntime runtime;
  private final ObjectReader objects;
  private final MediaStore store;
  private final QueryServer server;
  /** The API keys, or null with auth off. */
  private final ApiKeyStore keys;

  public QueryService(QueryConfig config) {
    this.runtime = ServiceRuntime.withoutKafka("query", ServiceRuntime.Endpoint.NONE);
    MetadataDatabase database = config.database();
    database.migrate();
    this.store = new MediaStore(database);
    this.keys = config.authEnabled() ? new ApiKeyStore(database, Clock.systemUTC()) : null;
    this.objects = new ObjectReader(config.s3(), config.bucket());
    ReadAccess access = keys == null ? ReadAccess.open() : new ReadAccess(new ApiKeyAuthenticator(keys::find,
        config.authCacheTtl(), System::nanoTime, ApiKeyAuthenticator.Access.READ), true);
    if (keys == null) {
      LOG.warn("API keys are OFF ({}{}=false): anyone reaching the port reads every project", QueryConfig.NAMESPACE,
          QueryConfig.AUTH_ENABLED);
    }
    PreviewCache previews = new PreviewCache(config.getLong(QueryConfig.PREVIEW_CACHE_BYTES));
    bindPreviewMeters(runtime.metrics(), previews);
    ApiRouter router = new ApiRouter(store, objects, access, previews);
    runtime.health().ready(() -> {
      boolean up = store.reachable();
      return new HealthCheck("metadata", up, up ? "reachable" : "unreachable: " + database.describe());
    });
    this.server = new QueryServer(config.getString(QueryConfig.HTTP_HOST), config.getInt(QueryConfig.HTTP_PORT),
        config.getInt(QueryConfig.HTTP_THREADS), router, runtime.health(), runtime.metrics());
  }

  private static void bindPreviewMeters(Metrics metrics, PreviewCache previews) {
    metrics.counter("mediaflow.query.preview.cache.hits", "Thumbnails answered from the preview cache", previews::hits);
    metrics.counter("mediaflow.query.preview.cache.misses", "Thumbnails made because the cache did not hold them",
        previews::misses);
    metrics.gauge("mediaflow.query.preview.cache", "Encoded thumbnail bytes held in the preview cache", "bytes",
        previews::bytes);
  }

  /** Starts serving; on failure (e.g. the port is taken) closes what it opened, so the JVM can exit. */
  public QueryService start() {
    try {
      server.start();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    runtime.started();
    return this;
  }

  public int httpPort() {
    return server.port();
  }

  @Override
  public void close() {
    runtime.stopping();
    server.close();
    objects.close();
    store.close();
    if (keys != null) {
      keys.close();
    }
    runtime.close();
  }

  /** {@code java dev.mediaflow.query.QueryService [settings.properties]}; SIGTERM stops it cleanly. */
  public static void main(String[] args) throws Exception {
    Path file = args.length > 0 ? Path.of(args[0]) : null;
    QueryConfig config = Startup.orExit("query", () -> QueryConfig.load(file, System.getenv()));
    QueryService service = Startup.orExit("query", () -> new QueryService(config).start());
    Shutdown.onSignal("query", service).await();
  }
}
