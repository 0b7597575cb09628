package dev.mediaflow.ingest.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.mediaflow.ingest.auth.AuthResult;
import dev.mediaflow.ingest.auth.Authenticator;
import dev.mediaflow.ingest.client.MediaProducer;
import dev.mediaflow.ingest.logcall.LogCallException;
import dev.mediaflow.ingest.logcall.LogCallParser;
import dev.mediaflow.ingest.logcall.LogCallParser.Part;
import dev.mediaflow.ingest.logcall.LoggedItem;
import dev.mediaflow.schemas.ops.Health;
import dev.mediaflow.schemas.ops.HealthCheck;
import dev.mediaflow.schemas.ops.HealthEndpoint;
import dev.mediaflow.schemas.serde.SchemaRegistryException;
import dev.mediaflow.schemas.topics.ItemKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP gateway for training code in any language.
 *
 * <ul>
 *   <li>{@code POST /v1/projects/{project}/runs/{run}/log}: multipart/form-data with a JSON
 *       part {@code log} and the array/file parts it names. Answers once every accepted item is
 *       durable in Kafka: 200 with the accepted count and, per rejected item, its identity and
 *       reason; 400 when nothing was accepted (or the call as a whole is malformed: no step,
 *       duplicate part names); 503 (with an {@code error}) when Kafka did not acknowledge them
 *       within the call deadline; 500 with {@code {error_code, message}} for a fault of the
 *       gateway, which never drops the connection unanswered. Rejected items are dead-lettered
 *       as received ({@link IngestDeadLetters}).
 *   <li>{@code GET /health/live} (serving), {@code GET /health/ready} and {@code GET /health}
 *       (Kafka reachable; see {@link Health}). {@code GET /metrics}: Prometheus text. These are
 *       answered by their own threads, never queued behind log calls waiting on Kafka.
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
  /** Serves health and metrics, and hands log calls to {@link #executor}. */
  private final ExecutorService dispatcher = Executors.newFixedThreadPool(2);
  private final Duration callTimeout;
  private final Authenticator authenticator;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  /** Log calls being handled, so close() waits for exactly those. */
  private final AtomicInteger inFlight = new AtomicInteger();
  private final HttpHandler logCalls = whileOpen(this::handleLog);
  private volatile boolean closing;

  /**
   * @param callTimeout deadline of one log call, from its items' first send to the answer
   * @param health readiness checks (e.g. Kafka reachable); liveness (serving) is added here
   */
  public LogGateway(MediaProducer producer, LogCallParser parser, String host, int port, int threads,
      long maxRequestBytes, Duration callTimeout, Health health) throws IOException {
    this(producer, parser, host, port, threads, maxRequestBytes, callTimeout, health, Authenticator.ALLOW_ALL);
  }

  /** As above; {@code authenticator} decides, before the body is read, whether a call may write to its project. */
  public LogGateway(MediaProducer producer, LogCallParser parser, String host, int port, int threads,
      long maxRequestBytes, Duration callTimeout, Health health, Authenticator authenticator) throws IOException {
    this.authenticator = authenticator;
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
      logCalls.handle(exchange);
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
    try {
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
      try {
        RunPath names = RunPath.decode(path.group(1), path.group(2));
        String project = names.project();
        String run = names.run();
        AuthResult auth = authenticator.authorize(exchange.getRequestHeaders().getFirst("Authorization"), project);
        if (!auth.isAllowed()) {
          refuse(exchange, auth); // before the body is read: nothing of the call is parsed or sent
          return;
        }
        Map<String, Part> parts = MultipartParts.read(exchange, maxRequestBytes);
        Part log = parts.get("log");
        if (log == null) {
          throw new LogCallException("request needs a multipart part named \"log\" holding the log call JSON");
        }
        String logJson = new String(log.data(), StandardCharsets.UTF_8);
        List<LoggedItem> items = parser.parse(project, run, logJson, parts);
        answer(exchange, deliver(items, new IngestDeadLetters(logJson, parts, producer.maxRecordBytes())));
      } catch (IllegalArgumentException e) {
        respond(exchange, 400, error(e.getMessage()));
      }
    } catch (IllegalArgumentException e) {
      respond(exchange, 400, error(e.getMessage())); // e.g. a path segment that does not decode
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      // a fault of ours: the client gets an answer, never a dropped connection
      LOG.error("log call failed", e);
      answerFailure(exchange, e);
    } finally {
      exchange.close(); // after the catch: a failed call is answered before its exchange closes
    }
  }

  /** 401 (with {@code WWW-Authenticate: Bearer}), 403 or 503 (with {@code Retry-After}) as {@code {error_code, message}}. */
  private static void refuse(HttpExchange exchange, AuthResult auth) throws IOException {
    String code = auth.status() == 401 ? "unauthorized" : auth.status() == 403 ? "forbidden" : "unavailable";
    if (auth.status() == 401) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
    } else if (auth.status() == 503) {
      exchange.getResponseHeaders().set("Retry-After", "1"); // the key store is unreachable for now
    }
    respond(exchange, auth.status(), JSON.createObjectNode().put("error_code", code)
        .put("message", auth.message()).toString());
  }

  /** A 500 with {@code {error_code, message}}, unless an answer has already been sent. */
  private static void answerFailure(HttpExchange exchange, Throwable error) {
    if (exchange.getResponseCode() != -1) {
      return;
    }
    try {
      respond(exchange, 500, JSON.createObjectNode().put("error_code", "internal_error")
          .put("message", "the gateway failed on this call: " + error).toString());
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot answer the failed call", e);
    }
  }

  /**
   * Sends accepted items and dead-letters rejected ones, all before waiting for any, then waits
   * for the broker's acknowledgements until one deadline for the whole call.
   */
  private Outcome deliver(List<LoggedItem> items, IngestDeadLetters letters) {
    long deadline = System.nanoTime() + callTimeout.toNanos();
    List<CompletableFuture<?>> sends = sendAll(items, letters, deadline);
    Outcome outcome = new Outcome();
    for (int i = 0; i < items.size(); i++) {
      LoggedItem item = items.get(i);
      Throwable error = await(sends.get(i), deadline);
      if (item.isAccepted() && error == null) {
        outcome.accepted++;
      } else if (item.isAccepted()) {
        String reason = "not stored: " + rootMessage(error);
        outcome.rejected.add(rejection(item, reason));
        outcome.unavailable |= !isItemFault(error);
        if (isItemFault(error)) {
          await(deadLetter(letters, item, reason), deadline);
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
   * A failure that is the item's own (too large, cannot be written as Avro), to dead-letter, as
   * opposed to Kafka or the registry being unavailable (503, nothing dead-lettered).
   */
  private static boolean isItemFault(Throwable error) {
    return error instanceof IllegalArgumentException
        || error instanceof SerializationException && !(error instanceof SchemaRegistryException);
  }

  /** Sends the item as received to the dead-letter topic (see {@link IngestDeadLetters}). */
  private CompletableFuture<?> deadLetter(IngestDeadLetters letters, LoggedItem item, String reason) {
    try {
      IngestDeadLetters.Letter letter = letters.of(item, reason);
      return producer.sendDeadLetter(ItemKeys.of(item.identity()), letter.value(), letter.headers());
    } catch (RuntimeException e) {
      LOG.error("cannot dead-letter {}", ItemKeys.of(item.identity()), e);
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Hands every item to the producer. Once one send could not even be queued in time (no
   * metadata, buffer full: the broker is away) or the deadline has passed, the remaining items
   * fail at once with that cause instead of each blocking as long again.
   */
  private List<CompletableFuture<?>> sendAll(List<LoggedItem> items, IngestDeadLetters letters, long deadline) {
    List<CompletableFuture<?>> sends = new ArrayList<>();
    Throwable unsendable = null;
    for (LoggedItem item : items) {
      if (unsendable == null && System.nanoTime() - deadline >= 0) {
        unsendable = deadlinePassed();
      }
      CompletableFuture<?> send = unsendable != null ? CompletableFuture.failedFuture(unsendable)
          : item.isAccepted() ? producer.send(item.event()) : deadLetter(letters, item, item.rejection());
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
    dispatcher.shutdown();
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
