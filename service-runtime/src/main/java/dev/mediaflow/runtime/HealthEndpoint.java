package dev.mediaflow.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * {@code GET /health/live}, {@code GET /health/ready} and {@code GET /health} (the readiness
 * answer, kept for compatibility): 200 while UP, 503 when DOWN, with a JSON body naming every
 * check (see {@link Health}); and {@code GET /metrics} (Prometheus text). Standalone for
 * services that have no HTTP server of their own (transform, sink); {@link #serve} adds the
 * health paths to an existing server (the ingest gateway).
 */
public final class HealthEndpoint implements AutoCloseable {
  private final HttpServer server;

  /**
   * Starts serving at once.
   *
   * @param host the address to bind: {@code 127.0.0.1} for this machine only, {@code 0.0.0.0} for
   *     every interface (containers)
   * @param port 0 picks a free one
   * @param metrics the Prometheus text of {@code /metrics}, made per request (e.g. {@link Metrics#scrape})
   */
  public HealthEndpoint(String host, int port, Health health, Supplier<String> metrics) {
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
    }
    serve(server, health);
    server.createContext("/metrics", ex -> respond(ex, 200, metrics.get(), Metrics.CONTENT_TYPE));
    server.start();
  }

  /** Adds {@code /health}, {@code /health/live} and {@code /health/ready} to {@code server}. */
  public static void serve(HttpServer server, Health health) {
    server.createContext("/health", ex -> answer(ex, health.readiness()));
    server.createContext("/health/ready", ex -> answer(ex, health.readiness()));
    server.createContext("/health/live", ex -> answer(ex, health.liveness()));
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, Health.Report report) throws IOException {
    respond(exchange, report.httpStatus(), report.json(), "application/json");
  }

  private static void respond(HttpExchange exchange, int status, String body, String contentType) throws IOException {
    try (exchange) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
