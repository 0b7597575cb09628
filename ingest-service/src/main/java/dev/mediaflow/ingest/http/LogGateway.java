package dev.mediaflow.ingest.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mediaflow.ingest.client.MediaProducer;
import dev.mediaflow.ingest.logcall.LogCallException;
import dev.mediaflow.ingest.logcall.LogCallParser;
import dev.mediaflow.ingest.logcall.LogCallParser.Part;
import dev.mediaflow.ingest.logcall.LoggedItem;
import dev.mediaflow.schemas.deadletter.DeadLetters;
import dev.mediaflow.schemas.ops.Health;
import dev.mediaflow.schemas.ops.HealthCheck;
import dev.mediaflow.schemas.ops.HealthEndpoint;
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
import java.util.concurrent.TimeoutException;
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
 *       reason; 400 when nothing was accepted; 503 (with an {@code error}) when Kafka did not
 *       acknowledge them within the call deadline.
 *   <li>{@code GET /health/live} (serving), {@code GET /health/ready} and {@code GET /health}
 *       (Kafka reachable; see {@link Health}). {@code GET /metrics}: Prometheus text. These are
 *       answered by their own threads, never queued behind log calls waiting on Kafka.
 * </ul>
 */
public final class LogGateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogGateway.class);
  private static final Pattern LOG_PATH = Pattern.compile("^/v1/projects/([^/]+)/runs/([^/]+)/log/?$");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MediaProducer producer;
  private final LogCallParser parser;
  private final long maxRequestBytes;
  private final HttpServer server;
  private final ExecutorService executor;
  /** Serves health and metrics, and hands log calls to {@link #executor}. */
  private final ExecutorService dispatcher = Executors.newFixedThreadPool(2);
  private final Duration callTimeout;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();

  /**
   * @param callTimeout deadline of one log call, from its items' first send to the answer
   * @param health readiness checks (e.g. Kafka reachable); liveness (serving) is added here
   */
  public LogGateway(MediaProducer producer, LogCallParser parser, String host, int port, int threads,
      long maxRequestBytes, Duration callTimeout, Health health) throws IOException {
    this.producer = producer;
    this.parser = parser;
    this.maxRequestBytes = maxRequestBytes;
    this.callTimeout = callTimeout;
    this.executor = Executors.newFixedThreadPool(threads);
    this.server = HttpServer.create(new InetSocketAddress(host, port), 128);
    server.setExecutor(dispatcher);
    server.createContext("/v1/projects/", exchange -> executor.execute(() -> handleLogQuietly(exchange)));
    HealthEndpoint.serve(server, health.live(this::serving));
    server.createContext("/metrics", this::handleMetrics);
  }

  private HealthCheck serving() {
    return new HealthCheck("http", !executor.isShutdown(), executor.isShutdown() ? "stopped" : "serving");
  }

  private void handleLogQuietly(HttpExchange exchange) {
    try {
      handleLog(exchange);
    } catch (IOException e) {
      LOG.debug("log call connection failed: {}", e.toString());
    }
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

  /**
   * Sends accepted items and dead-letters rejected ones, all before waiting for any, then waits
   * for the broker's acknowledgements until one deadline for the whole call.
   */
  private Outcome deliver(List<LoggedItem> items) {
    long deadline = System.nanoTime() + callTimeout.toNanos();
    List<CompletableFuture<?>> sends = sendAll(items, deadline);
    Outcome outcome = new Outcome();
    for (int i = 0; i < items.size(); i++) {
      LoggedItem item = items.get(i);
      Throwable error = await(sends.get(i), deadline);
      if (item.isAccepted() && error == null) {
        outcome.accepted++;
      } else if (item.isAccepted()) {
        String reason = "not stored: " + rootMessage(error);
        outcome.rejected.add(rejection(item, reason));
        outcome.unavailable |= !(error instanceof IllegalArgumentException);
        if (error instanceof IllegalArgumentException) {
          await(deadLetter(item, reason), deadline);
        }
      } else {
        outcome.rejected.add(rejection(item, item.rejection()));
      }
    }
    accepted.addAndGet(outcome.accepted);
    rejected.addAndGet(outcome.rejected.size());
    return outcome;
  }

  /**
   * Hands every item to the producer. Once one send could not even be queued in time (no
   * metadata, buffer full: the broker is away) or the deadline has passed, the remaining items
   * fail at once with that cause instead of each blocking as long again.
   */
  private List<CompletableFuture<?>> sendAll(List<LoggedItem> items, long deadline) {
    List<CompletableFuture<?>> sends = new ArrayList<>();
    Throwable unsendable = null;
    for (LoggedItem item : items) {
      if (unsendable == null && System.nanoTime() - deadline >= 0) {
        unsendable = deadlinePassed();
      }
      CompletableFuture<?> send = unsendable != null ? CompletableFuture.failedFuture(unsendable)
          : item.isAccepted() ? producer.send(item.event()) : deadLetter(item, item.rejection());
      if (unsendable == null && send.isCompletedExceptionally()) {
        Throwable cause = await(send, deadline);
        unsendable = cause instanceof org.apache.kafka.common.errors.TimeoutException ? cause : null;
      }
      sends.add(send);
    }
    return sends;
  }

  private TimeoutException deadlinePassed() {
    return new TimeoutException("Kafka did not acknowledge within the call deadline of "
        + callTimeout.toMillis() + " ms");
  }

  private CompletableFuture<?> deadLetter(LoggedItem item, String reason) {
    var headers = DeadLetters.headers("ingest", reason, null, item.identity(), null);
    return producer.sendDeadLetter(ItemKeys.of(item.identity()),
        item.spec().toString().getBytes(StandardCharsets.UTF_8), headers);
  }

  /** Null once the future completed normally, else why not, by the deadline at the latest. */
  private Throwable await(CompletableFuture<?> future, long deadline) {
    try {
      future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return null;
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      return deadlinePassed();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
    if (status == 503) {
      body.put("error", "Kafka unavailable: the items were not acknowledged within " + callTimeout.toMillis()
          + " ms; retry the call (an item is identified by its identity, so a retry overwrites, never doubles)");
    }
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

  /** Stops taking requests, lets running ones finish (they wait for their acknowledgements). */
  @Override
  public void close() {
    server.stop(5);
    executor.shutdown();
    dispatcher.shutdown();
    LOG.info("ingest gateway stopped");
  }

  private static final class Outcome {
    int accepted;
    boolean unavailable;
    final List<ObjectNode> rejected = new ArrayList<>();
  }
}
