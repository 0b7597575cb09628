package dev.mediaflow.ingest.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.mediaflow.ingest.client.MediaProducer;
import dev.mediaflow.ingest.logcall.LogCallException;
import dev.mediaflow.ingest.logcall.LogCallParser;
import dev.mediaflow.ingest.logcall.LogCallParser.Part;
import dev.mediaflow.ingest.logcall.LoggedItem;
import dev.mediaflow.schemas.deadletter.DeadLetters;
import dev.mediaflow.schemas.topics.ItemKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP gateway for training code in any language.
 *
 * <ul>
 *   <li>{@code POST /v1/projects/{project}/runs/{run}/log}: multipart/form-data with a JSON
 *       part {@code log} and the array/file parts it names. Answers once every accepted item is
 *       durable in Kafka: 200 with the accepted count and, per rejected item, its identity and
 *       reason; 400 when nothing was accepted; 503 when Kafka could not take the items.
 *   <li>{@code GET /health}: 200 while serving. {@code GET /metrics}: Prometheus text.
 * </ul>
 */
public final class LogGateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogGateway.class);
  private static final Pattern LOG_PATH = Pattern.compile("^/v1/projects/([^/]+)/runs/([^/]+)/log/?$");
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How long a stop waits for running calls, as HttpServer.stop(5) did. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final MediaProducer producer;
  private final LogCallParser parser;
  private final long maxRequestBytes;
  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  /** Log calls being handled, so close() waits for exactly those. */
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean closing;

  public LogGateway(MediaProducer producer, LogCallParser parser, String host, int port, int threads,
      long maxRequestBytes) throws IOException {
    this.producer = producer;
    this.parser = parser;
    this.maxRequestBytes = maxRequestBytes;
    this.executor = Executors.newFixedThreadPool(threads);
    this.server = HttpServer.create(new InetSocketAddress(host, port), 128);
    server.setExecutor(executor);
    server.createContext("/v1/projects/", whileOpen(this::handleLog));
    server.createContext("/health", ex -> respond(ex, 200, "{\"status\":\"UP\"}"));
    server.createContext("/metrics", this::handleMetrics);
  }

  public void start() {
    server.start();
    LOG.info("ingest gateway listening on http://{}:{}", server.getAddress().getHostString(), port());
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handleLog(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      Matcher path = LOG_PATH.matcher(exchange.getRequestURI().getRawPath());
      if (!path.matches()) {
        respond(exchange, 404, error("no such endpoint; use POST /v1/projects/{project}/runs/{run}/log"));
        return;
      }
      if (!exchange.getRequestMethod().equals("POST")) {
        respond(exchange, 405, error("use POST"));
        return;
      }
      String project = URLDecoder.decode(path.group(1), StandardCharsets.UTF_8);
      String run = URLDecoder.decode(path.group(2), StandardCharsets.UTF_8);
      try {
        Map<String, Part> parts = MultipartParts.read(exchange, maxRequestBytes);
        Part log = parts.get("log");
        if (log == null) {
          throw new LogCallException("request needs a multipart part named \"log\" holding the log call JSON");
        }
        List<LoggedItem> items = parser.parse(project, run, new String(log.data(), StandardCharsets.UTF_8), parts);
        answer(exchange, deliver(items));
      } catch (IllegalArgumentException e) {
        respond(exchange, 400, error(e.getMessage()));
      }
    } catch (RuntimeException e) {
      LOG.error("log call failed", e);
    }
  }

  /** Sends accepted items, dead-letters rejected ones, and waits for the broker's acknowledgements. */
  private Outcome deliver(List<LoggedItem> items) {
    List<CompletableFuture<?>> sends = new ArrayList<>();
    for (LoggedItem item : items) {
      sends.add(item.isAccepted() ? producer.send(item.event()) : deadLetter(item, item.rejection()));
    }
    Outcome outcome = new Outcome();
    for (int i = 0; i < items.size(); i++) {
      LoggedItem item = items.get(i);
      Throwable error = await(sends.get(i));
      if (item.isAccepted() && error == null) {
        outcome.accepted++;
      } else if (item.isAccepted()) {
        String reason = "not stored: " + rootMessage(error);
        outcome.rejected.add(rejection(item, reason));
        outcome.unavailable |= !(error instanceof IllegalArgumentException);
        if (error instanceof IllegalArgumentException) {
          await(deadLetter(item, reason));
        }
      } else {
        outcome.rejected.add(rejection(item, item.rejection()));
      }
    }
    accepted.addAndGet(outcome.accepted);
    rejected.addAndGet(outcome.rejected.size());
    return outcome;
  }

  private CompletableFuture<?> deadLetter(LoggedItem item, String reason) {
    var headers = DeadLetters.headers("ingest", reason, null, item.identity(), null);
    return producer.sendDeadLetter(ItemKeys.of(item.identity()),
        item.spec().toString().getBytes(StandardCharsets.UTF_8), headers);
  }

  private static Throwable await(CompletableFuture<?> future) {
    try {
      future.get(10, TimeUnit.MINUTES);
      return null;
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      return e;
    }
  }

  private static String rootMessage(Throwable error) {
    Throwable t = error;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private static ObjectNode rejection(LoggedItem item, String reason) {
    ObjectNode node = JSON.createObjectNode();
    node.put("project", item.identity().getProject());
    node.put("run", item.identity().getRun());
    node.put("key", item.identity().getKey());
    node.put("step", item.identity().getStep());
    node.put("index", item.identity().getIndex());
    node.put("reason", reason);
    return node;
  }

  private void answer(HttpExchange exchange, Outcome outcome) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.put("accepted", outcome.accepted);
    ArrayNode rejectedNode = body.putArray("rejected");
    outcome.rejected.forEach(rejectedNode::add);
    int status = outcome.accepted > 0 || outcome.rejected.isEmpty() ? 200 : outcome.unavailable ? 503 : 400;
    respond(exchange, status, body.toString());
  }

  private void handleMetrics(HttpExchange exchange) throws IOException {
    String text = "# TYPE mediaflow_ingest_requests_total counter\nmediaflow_ingest_requests_total " + requests.get()
        + "\n# TYPE mediaflow_ingest_items_accepted_total counter\nmediaflow_ingest_items_accepted_total " + accepted.get()
        + "\n# TYPE mediaflow_ingest_items_rejected_total counter\nmediaflow_ingest_items_rejected_total " + rejected.get()
        + "\n";
    exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
    respond(exchange, 200, text);
  }

  private static String error(String message) {
    return JSON.createObjectNode().put("error", message).toString();
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /**
   * Stops taking requests (a call arriving now gets 503), lets running ones finish for up to
   * {@link #STOP_GRACE} (they wait for their acknowledgements), then closes.
   */
  @Override
  public void close() {
    closing = true;
    // JDK 17's HttpServer.stop(delay) sleeps the whole delay even with nothing in flight
    // (JDK-8304065, fixed in 21): wait for our own running calls instead, then stop at once
    long deadline = System.nanoTime() + STOP_GRACE.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    server.stop(0);
    executor.shutdown();
    LOG.info("ingest gateway stopped");
  }

  /** Counts running log calls and answers 503 once the gateway is stopping. */
  private HttpHandler whileOpen(HttpHandler handler) {
    return exchange -> {
      inFlight.incrementAndGet(); // before the check, so close() cannot miss a call that passed it
      try {
        if (closing) {
          try (exchange) {
            exchange.getResponseHeaders().set("Connection", "close");
            respond(exchange, 503, error("the gateway is stopping; retry against a running one"));
          }
          return;
        }
        handler.handle(exchange);
      } finally {
        inFlight.decrementAndGet();
      }
    };
  }

  private static final class Outcome {
    int accepted;
    boolean unavailable;
    final List<ObjectNode> rejected = new ArrayList<>();
  }
}
