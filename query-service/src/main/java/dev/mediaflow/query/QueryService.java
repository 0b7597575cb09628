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
import dev.mediaflow.runtime.Health;
import dev.mediaflow.runtime.HealthCheck;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query service: a read-only JSON API over the metadata store and S3, and the media browser
 * (docs/QUERY-API.md). It opens the store the sink writes (migrating it with the one shared
 * migration set, as every service does) and reads the sink's bucket.
 */
public final class QueryService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QueryService.class);

  private final ObjectReader objects;
  private final MediaStore store;
  private final QueryServer server;
  /** The API keys, or null with auth off. */
  private final ApiKeyStore keys;

  public QueryService(QueryConfig config) {
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
    ApiRouter router = new ApiRouter(store, objects, access,
        new PreviewCache(config.getLong(QueryConfig.PREVIEW_CACHE_BYTES)));
    Health health = new Health().ready(() -> {
      boolean up = store.reachable();
      return new HealthCheck("metadata", up, up ? "reachable" : "unreachable: " + database.describe());
    });
    this.server = new QueryServer(config.getString(QueryConfig.HTTP_HOST), config.getInt(QueryConfig.HTTP_PORT),
        config.getInt(QueryConfig.HTTP_THREADS), router, health);
  }

  public QueryService start() {
    server.start();
    return this;
  }

  public int httpPort() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
    objects.close();
    store.close();
    if (keys != null) {
      keys.close();
    }
  }

  /** {@code java dev.mediaflow.query.QueryService [settings.properties]}; SIGTERM stops it cleanly. */
  public static void main(String[] args) throws Exception {
    QueryConfig config = QueryConfig.load(args.length > 0 ? Path.of(args[0]) : null, System.getenv());
    QueryService service = new QueryService(config).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      service.close();
      stopped.countDown();
    }, "query-shutdown"));
    stopped.await();
  }
}
