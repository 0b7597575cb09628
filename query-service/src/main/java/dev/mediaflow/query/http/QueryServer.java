package dev.mediaflow.query.http;

import dev.mediaflow.query.api.ApiRouter;
import dev.mediaflow.query.store.StoreUnavailableException;
import dev.mediaflow.runtime.Health;
import dev.mediaflow.runtime.HealthCheck;
import dev.mediaflow.runtime.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query service's HTTP server, on Jetty 12 (core API, no servlets): {@code /api/v1/...} to
 * the {@link ApiRouter}, {@code /health/live} and {@code /health/ready} (= {@code /health}),
 * {@code /metrics} (Prometheus text; every request counted by {@link RequestMetrics}), and
 * every other path to the static browser files of the classpath folder {@value #STATIC_ROOT}
 * ({@code /} is its {@code index.html}). Every 4xx/5xx is {@code {error_code, message}}.
 */
public final class QueryServer implements AutoCloseable {
  /** The classpath folder of the browser's static files. */
  public static final String STATIC_ROOT = "browser/";
  private static final Logger LOG = LoggerFactory.getLogger(QueryServer.class);
  private static final String API = "/api/v1";

  private final Server server;
  private final ServerConnector connector;
  private final ApiRouter router;
  private final Health health;
  private final Metrics metrics;

  /**
   * @param health readiness checks (e.g. the metadata store reachable); liveness is added here
   * @param metrics served on {@code /metrics}; the request counters are added to it
   */
  public QueryServer(String host, int port, int threads, ApiRouter router, Health health, Metrics metrics) {
    this.router = router;
    this.metrics = metrics;
    this.server = new Server(threadPool(threads));
    this.health = health.live(() -> new HealthCheck("http", server.isRunning(),
        server.isRunning() ? "serving" : "not serving"));
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    // names are decoded by PathCodec from the raw path (never used as file paths), as the gateway does
    http.setUriCompliance(UriCompliance.UNSAFE);
    this.connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(new RequestMetrics(metrics.registry(), new Routes(staticFiles())));
    server.setErrorHandler(new JsonErrors());
  }

  private static QueuedThreadPool threadPool(int threads) {
    QueuedThreadPool pool = new QueuedThreadPool(threads, 4);
    pool.setName("query-http");
    return pool;
  }

  private ResourceHandler staticFiles() {
    ResourceHandler files = new ResourceHandler();
    Resource root = ResourceFactory.of(server).newClassLoaderResource(STATIC_ROOT);
    if (root == null) {
      throw new IllegalStateException("no classpath folder " + STATIC_ROOT + " with the browser's files");
    }
    files.setBaseResource(root);
    files.setDirAllowed(false);
    files.setWelcomeFiles(List.of("index.html"));
    files.setCacheControl("no-cache");
    return files;
  }

  public void start() {
    try {
      server.start();
    } catch (Exception e) {
      throw new UncheckedIOException(new IOException("cannot start the query API on " + connector.getHost() + ":"
          + connector.getPort() + ": " + e.getMessage(), e));
    }
    LOG.info("query API and browser on http://{}:{}/", connector.getHost(), port());
  }

  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("query HTTP server did not stop cleanly: {}", e.toString());
    }
  }

  /** API and health here, everything else to the static files. */
  private final class Routes extends Handler.Wrapper {
    private final WebJarHandler webJars = new WebJarHandler();

    Routes(Handler files) {
      super(files);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String path = request.getHttpURI().getPath();
      if (path.equals(API) || path.startsWith(API + "/")) {
        api(new Exchange(request, response, callback, segments(path.substring(API.length()))));
        return true;
      }
      switch (path) {
        case "/health", "/health/ready" -> report(response, callback, health.readiness());
        case "/health/live" -> report(response, callback, health.liveness());
        case "/metrics" -> scrape(response, callback);
        default -> {
          if (!StaticPaths.isPlain(path)) {
            // an escaped "/" or "." would let the file handler resolve outside browser/
            Response.writeError(request, response, callback, 404);
            return true;
          }
          // the browser's libraries (three.js) from their WebJars, then the browser's own files
          return webJars.handle(request, response, callback) || super.handle(request, response, callback);
        }
      }
      return true;
    }

    /**
     * Blocking, whatever the wrapped file handler says: the API reads SQL and S3 and writes bodies
     * with blocking writes, so Jetty must not run it on the selector thread (it would wait for a
     * write the blocked selector can never complete, until the idle timeout cut the response).
     */
    @Override
    public InvocationType getInvocationType() {
      return InvocationType.BLOCKING;
    }
  }

  /** The raw segments of {@code rest} ({@code /a/b} → [a, b]); empty segments kept. */
  static List<String> segments(String rest) {
    if (rest.isEmpty() || rest.equals("/")) {
      return List.of();
    }
    String trimmed = rest.endsWith("/") ? rest.substring(1, rest.length() - 1) : rest.substring(1);
    return new ArrayList<>(Arrays.asList(trimmed.split("/", -1)));
  }

  private void api(Exchange ex) {
    try {
      router.route(ex);
    } catch (ApiException e) {
      answer(ex, e);
    } catch (StoreUnavailableException e) {
      LOG.warn("{}", e.getMessage());
      answer(ex, new ApiException(503, "unavailable", e.getMessage()));
    } catch (Exception e) {
      LOG.error("query failed", e);
      answer(ex, new ApiException(500, "internal_error", "the query failed: " + e));
    }
  }

  private static void answer(Exchange ex, ApiException e) {
    if (ex.isCommitted()) {
      ex.fail(e); // the body had begun: only closing the connection tells the client
    } else {
      ex.error(e);
    }
  }

  private void scrape(Response response, Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Metrics.CONTENT_TYPE);
    response.write(true, ByteBuffer.wrap(metrics.scrape().getBytes(StandardCharsets.UTF_8)), callback);
  }

  private static void report(Response response, Callback callback, Health.Report report) {
    response.setStatus(report.httpStatus());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(report.json().getBytes(StandardCharsets.UTF_8)), callback);
  }

  /** Jetty's own refusals (bad request line, unknown static file) in the API's error shape. */
  private static final class JsonErrors extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
        Callback callback) {
      String errorCode = code == 404 ? "not_found" : code == 405 ? "method_not_allowed"
          : code >= 500 ? "internal_error" : "bad_request";
      String body = Exchange.JSON.createObjectNode().put("error_code", errorCode)
          .put("message", message == null ? "HTTP " + code : message).toString();
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }
  }
}
