package dev.mediaflow.schemas.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /health} (200 while healthy, 503 otherwise) and {@code GET /metrics} (Prometheus
 * text) for services that have no HTTP server of their own (transform, sink).
 */
public final class HealthEndpoint implements AutoCloseable {
  private final HttpServer server;

  /**
   * @param metrics counter name (e.g. {@code mediaflow_sink_items_stored_total}) → value, read per request
   */
  public HealthEndpoint(String host, int port, BooleanSupplier healthy, Supplier<Map<String, Number>> metrics) {
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
    }
    server.createContext("/health", ex -> respond(ex, healthy.getAsBoolean() ? 200 : 503,
        healthy.getAsBoolean() ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}", "application/json"));
    server.createContext("/metrics", ex -> {
      StringBuilder text = new StringBuilder();
      metrics.get().forEach((name, value) ->
          text.append("# TYPE ").append(name).append(name.endsWith("_total") ? " counter\n" : " gauge\n")
              .append(name).append(' ').append(value).append('\n'));
      respond(ex, 200, text.toString(), "text/plain; version=0.0.4");
    });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int status, String body, String contentType) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
