package dev.mediaflow.query.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Counts every answered request by route and status class ({@code mediaflow_query_requests_total{route,
 * status}}) and the body bytes of object and PLY answers ({@code mediaflow_query_bytes_streamed_total}).
 * Routes are a fixed set of names (never a project, run or key), so the series stay few.
 */
final class RequestMetrics extends Handler.Wrapper {
  /** The API routes after a key ({@code .../keys/{k}/<what>}) and after an item ({@code .../items/{i}/<what>}). */
  private static final Set<String> KEY_ROUTES = Set.of("steps", "items", "histograms");
  private static final Set<String> ITEM_ROUTES = Set.of("preview", "pointcloud.ply", "scene");
  /** The routes whose bodies are the stored bytes streamed from S3. */
  private static final Set<String> STREAMED = Set.of("objects", "pointcloud.ply");

  private final MeterRegistry registry;
  private final Counter streamed;

  RequestMetrics(MeterRegistry registry, Handler routes) {
    super(routes);
    this.registry = registry;
    this.streamed = Counter.builder("mediaflow.query.bytes.streamed")
        .description("Body bytes of answered object and point-cloud requests (Content-Length of 2xx GETs)")
        .register(registry);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String route = route(request.getHttpURI().getPath());
    Callback counting = new Callback() {
      @Override
      public void succeeded() {
        count(request, response, route);
        callback.succeeded();
      }

      @Override
      public void failed(Throwable failure) {
        count(request, response, route);
        callback.failed(failure);
      }

      @Override
      public InvocationType getInvocationType() {
        return callback.getInvocationType();
      }
    };
    boolean handled = super.handle(request, response, counting);
    if (!handled) {
      requests(route, 404); // the server answers 404 with its own callback
    }
    return handled;
  }

  private void count(Request request, Response response, String route) {
    int status = response.getStatus();
    requests(route, status);
    long length = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
    if (STREAMED.contains(route) && status / 100 == 2 && length > 0 && request.getMethod().equals("GET")) {
      streamed.increment(length);
    }
  }

  private void requests(String route, int status) {
    Counter.builder("mediaflow.query.requests").description("Answered HTTP requests by route and status class")
        .tag("route", route).tag("status", status / 100 + "xx").register(registry).increment();
  }

  /** The route's name: an API route, {@code health}, {@code metrics} or {@code static}. */
  static String route(String path) {
    if (path.startsWith("/api/v1/") || path.equals("/api/v1")) {
      return apiRoute(QueryServer.segments(path.substring("/api/v1".length())));
    }
    if (path.equals("/health") || path.startsWith("/health/")) {
      return "health";
    }
    return path.equals("/metrics") ? "metrics" : "static";
  }

  private static String apiRoute(List<String> s) {
    if (s.size() == 1 && s.get(0).equals("session")) {
      return "session";
    }
    if (s.isEmpty() || !s.get(0).equals("projects")) {
      return "other";
    }
    return switch (s.size()) {
      case 1 -> "projects";
      case 3 -> "runs";
      case 4 -> "run";
      case 5 -> "keys";
      case 7 -> KEY_ROUTES.contains(s.get(6)) ? s.get(6) : "other";
      case 11 -> ITEM_ROUTES.contains(s.get(10)) ? s.get(10) : "other";
      case 12 -> "objects";
      default -> "other";
    };
  }
}
