package dev.mediaflow.transform.topology;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The two calls of the Confluent registry API that our serde makes (register, schema by id),
 * in memory, for topology unit tests that must not need a registry process. The real
 * registry is exercised by the integration tests.
 */
final class InMemorySchemaRegistry implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<String> schemas = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> ids = new ConcurrentHashMap<>();
  private final HttpServer server;

  InMemorySchemaRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    server.createContext("/subjects/", this::register);
    server.createContext("/schemas/ids/", this::byId);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private synchronized void register(HttpExchange exchange) throws IOException {
    String schema = JSON.readTree(exchange.getRequestBody()).get("schema").asText();
    int id = ids.computeIfAbsent(schema, s -> {
      schemas.add(s);
      return schemas.size();
    });
    respond(exchange, 200, "{\"id\":" + id + "}");
  }

  private void byId(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    int id = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
    if (id < 1 || id > schemas.size()) {
      respond(exchange, 404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
    } else {
      respond(exchange, 200, JSON.createObjectNode().put("schema", schemas.get(id - 1)).toString());
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
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
