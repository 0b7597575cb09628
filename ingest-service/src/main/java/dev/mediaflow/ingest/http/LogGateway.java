package dev.mediaflow.ingest.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediaflow.ingest.auth.AuthResult;
import dev.mediaflow.ingest.auth.Authenticator;
import dev.mediaflow.ingest.client.MediaProducer;
import dev.mediaflow.ingest.logcall.LogCallException;
import dev.mediaflow.ingest.logcall.LogCallParser;
import dev.mediaflow.ingest.logcall.LogCallParser.Part;
import dev.mediaflow.ingest.logcall.LoggedItem;
import dev.mediaflow.runtime.Health;
import dev.mediaflow.runtime.HealthCheck;
import dev.mediaflow.runtime.Metrics;
import dev.mediaflow.schemas.serde.SchemaRegistryException;
import dev.mediaflow.schemas.topics.ItemKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.errors.SerializationException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Attributes;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IO;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP gateway for training code in any language, on Jetty 12 (core API, no servlets).
 *
 * <ul>
 *   <li>{@code POST /v1/projects/{project}/runs/{run}/log}: multipart/form-data with a JSON
 *       part {@code log} and the array/file parts it names. Answers once every accepted item is
 *       durable in Kafka: 200 with the accepted count and, per rejected item, its identity and
 *       reason; 400 when nothing was accepted (or the call as a whole is malformed: no step,
 *       duplicate part names); 401/403 when the {@link Authenticator} refuses it (before its body
 *       is read); 413 when it breaks a limit; 429 with {@code Retry-After} when the gateway is
 *       busy (memory budget, Kafka's producer buffer, a project's rate limit); 503 when Kafka did
 *       not acknowledge the items within the call deadline; 500 for a fault of the gateway. Every
 *       4xx/5xx carries {@code {error_code, message}}; the connection is never dropped unanswered.
 *       Rejected items are dead-lettered as received ({@link IngestDeadLetters}).
 *   <li>{@code POST /v1/projects/{project}/runs/{run}/summary}: the run's summary media
 *       ({@code run.summary.update} of the reference), a log call's body without {@code step}
 *       (one is a 400), handled exactly as a log call; its items get the reserved step
 *       {@link dev.mediaflow.schemas.identity.ItemIdentity#SUMMARY_STEP}, so re-posting a key
 *       overwrites it.
 *   <li>{@code GET /health/live} (serving), {@code GET /health/ready} and {@code GET /health}
 *       (Kafka reachable; see {@link Health}). {@code GET /metrics}: Prometheus text.
 * </ul>
 *
 * <p>Threads: Jetty's pool only reads bodies (asynchronously: a slow or stalled client holds no
 * thread, only its connection until the idle timeout) and answers health and metrics. Once a
 * call's body has arrived it is parsed, sent and awaited on a separate pool of
 * {@code callThreads}; so calls waiting on Kafka, or clients stalled mid-body, never delay
 * health, metrics or other clients' uploads. A concurrency limit on the shared pool (Jetty's
 * QoSHandler) would still let stalled bodies hold every permit; a separate pool for the blocking
 * part does not.
 */
public final class LogGateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogGateway.class);
  /** A log call's path, or a summary call's ({@code .../summary}): group 3 tells which. */
  private static final Pattern LOG_PATH = Pattern.compile("^/v1/projects/([^/]+)/runs/([^/]+)/(log|summary)/?$");
  private static final String NO_SUCH_ENDPOINT =
      "no such endpoint; use POST /v1/projects/{project}/runs/{run}/log (or .../summary)";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How long a stop waits for running calls. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  /** Heap a call holds per body byte: its parts, and the records made from them. */
  static final int COPIES_PER_BODY_BYTE = 2;
  /** Free producer buffer wanted beyond the call's own bytes before it is admitted. */
  static final long PRODUCER_BUFFER_FLOOR = 8L * 1024 * 1024;
  /** Jetty's threads never wait on Kafka (see the class comment), so a few dozen are plenty. */
  private static final int SERVER_THREADS = 32;
  /** Calls whose body has arrived that may wait for a call thread, per call thread, before 429. */
  private static final int WAITING_CALLS_PER_THREAD = 16;

  private final MediaProducer producer;
  private final LongSupplier producerBufferAvailable;
  private final LogCallParser parser;
  private final GatewaySettings settings;
  private final Authenticator authenticator;
  private final Health health;
  private final Metrics metrics;
  private final Server server;
  private final ServerConnector connector;
  private final ThreadPoolExecutor calls;
  private final MemoryBudget budget;
  private final RateLimits rates;
  private final Path spoolDir;
  private final boolean ownSpoolDir;
  private final MultipartForm form;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong refusedBusy = new AtomicLong();
  /** Log calls not yet answered, so close() waits for exactly those. */
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean closing;

  /**
   * @param health readiness checks (e.g. Kafka reachable); liveness (serving) is added here
   * @param metrics served at {@code /metrics}; the gateway's counters are added here
   * @param authenticator asked before a call's body is read; {@link Authenticator#ALLOW_ALL} for none
   */
  public LogGateway(MediaProducer producer, LogCallParser parser, GatewaySettings settings, Health health,
      Metrics metrics, Authenticator authenticator) throws IOException {
    this.producer = producer;
    this.producerBufferAvailable = producer::bufferAvailableBytes;
    this.parser = parser;
    this.settings = settings;
    this.authenticator = authenticator;
    this.health = health.live(this::serving);
    this.metrics = metrics;
    this.budget = new MemoryBudget(settings.memoryBudgetBytes());
    this.rates = new RateLimits(settings.callsPerSecond(), settings.bytesPerSecond(), System::nanoTime);
    this.ownSpoolDir = settings.spoolDir() == null;
    this.spoolDir = ownSpoolDir ? Files.createTempDirectory("mediaflow-ingest-spool")
        : Files.createDirectories(settings.spoolDir());
    this.form = new MultipartForm(settings, spoolDir);
    this.calls = new ThreadPoolExecutor(settings.callThreads(), settings.callThreads(), 0, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(settings.callThreads() * WAITING_CALLS_PER_THREAD));
    this.server = new Server(serverThreads());
    this.connector = new ServerConnector(server, new HttpConnectionFactory(httpConfiguration()));
    connector.setHost(settings.host());
    connector.setPort(settings.port());
    connector.setIdleTimeout(settings.idleTimeout().toMillis());
    server.addConnector(connector);
    server.setHandler(new Routes());
    server.setErrorHandler(new JsonErrors());
    bindMetrics();
  }

  private void bindMetrics() {
    metrics.counter("mediaflow.ingest.requests", "HTTP requests received", requests::get);
    metrics.counter("mediaflow.ingest.items.accepted", "items acknowledged by Kafka", accepted::get);
    metrics.counter("mediaflow.ingest.items.rejected", "items refused (invalid, or not acknowledged)", rejected::get);
    metrics.counter("mediaflow.ingest.calls.refused.busy", "log calls answered 429", refusedBusy::get);
    metrics.gauge("mediaflow.ingest.memory.in.flight", "heap reserved by calls in flight", "bytes", budget::used);
    metrics.gauge("mediaflow.ingest.memory.budget", "heap calls in flight may reserve together", "bytes",
        budget::capacity);
  }

  private static QueuedThreadPool serverThreads() {
    QueuedThreadPool pool = new QueuedThreadPool(SERVER_THREADS, 4);
    pool.setName("ingest-http");
    return pool;
  }

  private HttpConfiguration httpConfiguration() {
    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(settings.maxHeaderBytes());
    http.setSendServerVersion(false);
    // names are decoded and validated by RunPath from the raw path (never used as a file path),
    // so Jetty must pass every escape through rather than refuse it with its own 400
    http.setUriCompliance(UriCompliance.UNSAFE);
    return http;
  }

  private HealthCheck serving() {
    boolean up = server.isRunning() && !closing;
    return new HealthCheck("http", up, up ? "serving" : closing ? "stopping" : "not started");
  }

  public void start() {
    try {
      server.start();
    } catch (Exception e) {
      throw new UncheckedIOException(new IOException("cannot start the HTTP gateway on " + settings.host() + ":"
          + settings.port() + ": " + e.getMessage(), e));
    }
    LOG.info("ingest gateway listening on http://{}:{}", settings.host(), port());
  }

  public int port() {
    return connector.getLocalPort();
  }

  /** Log calls to {@link #onLogCall}; health, metrics and anything else answered at once. */
  private final class Routes extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String path = request.getHttpURI().getPath();
      if (path.startsWith("/v1/")) {
        onLogCall(new Call(request, response, tracked(callback)));
        return true;
      }
      switch (path) {
        case "/health", "/health/ready" -> report(response, callback, health.readiness());
        case "/health/live" -> report(response, callback, health.liveness());
        case "/metrics" -> metrics(response, callback);
        default -> send(response, callback, 404, errorBody("not_found", NO_SUCH_ENDPOINT), 0);
      }
      return true;
    }
  }

  /** Counts the call until its answer is written, so close() can wait for it. */
  private Callback tracked(Callback callback) {
    inFlight.incrementAndGet(); // before the closing check, so close() cannot miss a call that passed it
    return Callback.from(() -> {
      inFlight.decrementAndGet();
      callback.succeeded();
    }, failure -> {
      inFlight.decrementAndGet();
      callback.failed(failure);
    });
  }

  /** One log call on its way: the exchange and what it holds of the memory budget. */
  private final class Call {
    final Request request;
    final Response response;
    final Callback callback;
    final MemoryBudget.Reservation reservation = budget.open();
    /** A summary call (set by admit, before the body is read): its items get the summary step. */
    boolean summary;

    Call(Request request, Response response, Callback callback) {
      this.request = request;
      this.response = response;
      this.callback = callback;
    }
  }

  private void onLogCall(Call call) {
    requests.incrementAndGet();
    try {
      RunPath names = admit(call);
      readBody(call, names);
    } catch (Refusal refusal) {
      refuseUnread(call, refusal);
    } catch (IllegalArgumentException e) {
      refuseUnread(call, new Refusal(400, "bad_request", e.getMessage())); // e.g. a path segment that does not decode
    } catch (RuntimeException e) {
      LOG.error("log call failed", e);
      refuseUnread(call, internalError(e));
    }
  }

  /**
   * Everything decided before the body is read, cheapest first: path and method, stopping, the
   * authenticator, the body's type and declared size, the project's rate, Kafka's producer
   * buffer and the memory budget.
   *
   * @throws Refusal the answer, when the call is refused
   */
  private RunPath admit(Call call) {
    Matcher path = LOG_PATH.matcher(call.request.getHttpURI().getPath());
    if (!path.matches()) {
      throw new Refusal(404, "not_found", NO_SUCH_ENDPOINT);
    }
    call.summary = path.group(3).equals("summary");
    if (!call.request.getMethod().equals("POST")) {
      throw new Refusal(405, "method_not_allowed", "use POST");
    }
    if (closing) {
      throw new Refusal(503, "stopping", "the gateway is stopping; retry against a running one", 1);
    }
    RunPath names = RunPath.decode(path.group(1), path.group(2));
    AuthResult auth = authenticator.authorize(call.request.getHeaders().get(HttpHeader.AUTHORIZATION), names.project());
    if (!auth.isAllowed()) {
      throw authRefusal(call, auth); // before the body is read: nothing of the call is parsed or sent
    }
    String contentType = call.request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (contentType == null || !MimeTypes.Type.MULTIPART_FORM_DATA.is(MimeTypes.getContentTypeWithoutCharset(contentType)
        .split(";")[0].trim())) {
      throw new Refusal(400, "bad_request", "cannot read multipart body: the Content-Type must be"
          + " multipart/form-data with a boundary, not " + contentType);
    }
    long length = call.request.getLength();
    admitSize(call, names.project(), length);
    return names;
  }

  /** 401 (with {@code WWW-Authenticate: Bearer}), 403, or 503 (the key store unreachable, with Retry-After). */
  private static Refusal authRefusal(Call call, AuthResult auth) {
    if (auth.status() == 401) {
      call.response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
      return new Refusal(401, "unauthorized", auth.message());
    }
    return auth.status() == 403 ? new Refusal(403, "forbidden", auth.message())
        : new Refusal(auth.status(), "unavailable", auth.message(), 1);
  }

  private void admitSize(Call call, String project, long length) {
    if (length > settings.maxRequestBytes()) {
      throw Refusal.tooLarge("request_too_large", "the body is " + length + " bytes, above the limit of "
          + settings.maxRequestBytes() + " bytes (mediaflow.ingest.http.max.request.bytes)");
    }
    long reserve = Math.max(0, length) * COPIES_PER_BODY_BYTE;
    if (reserve > budget.capacity()) {
      throw Refusal.tooLarge("request_above_memory_budget", "the body is " + length + " bytes; held "
          + COPIES_PER_BODY_BYTE + " times it would not fit the memory budget of " + budget.capacity()
          + " bytes (mediaflow.ingest.memory.budget.bytes) even alone: split the call");
    }
    rates.admit(project, Math.max(0, length));
    long bufferFree = producerBufferAvailable.getAsLong();
    if (bufferFree < Math.max(0, length) + PRODUCER_BUFFER_FLOOR) {
      throw Refusal.busy("producer_buffer_full", "Kafka's producer buffer is full (" + bufferFree
          + " bytes free): the broker is slower than the calls arriving; retry later", 2);
    }
    if (reserve > 0 && !call.reservation.grow(reserve)) {
      throw Refusal.busy("memory_budget_exhausted", "calls in flight hold " + budget.used() + " of the "
          + budget.capacity() + " bytes the gateway may use; this call needs " + reserve + "; retry later", 1);
    }
  }

  /** Reads the body without holding a thread while bytes are awaited; then hands it to a call thread. */
  private void readBody(Call call, RunPath names) {
    Request body = call.request.getLength() < 0 ? new BudgetedBody(call.request, call.reservation) : call.request;
    String contentType = call.request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    // BLOCKING: parsing writes large parts to the spool directory, so Jetty runs it on a pool thread.
    // Attributes of our own: the parts are ours to close (process) and Jetty must not join a failed parse at the end
    MultiPartFormData.onParts(body, new Attributes.Mapped(), contentType, form.config(), Promise.Invocable.from(
        InvocationType.BLOCKING, parts -> onBody(call, names, parts), failure -> refuseUnread(call, form.refusal(failure))));
  }

  private void onBody(Call call, RunPath names, MultiPartFormData.Parts parts) {
    try {
      calls.execute(() -> process(call, names, parts));
    } catch (RejectedExecutionException e) {
      parts.close();
      refuse(call, Refusal.busy("too_many_calls_waiting", calls.getQueue().size()
          + " calls are waiting for Kafka already; retry later", 1));
    }
  }

  /** On a call thread: the parts into items, sent, awaited and answered. */
  private void process(Call call, RunPath names, MultiPartFormData.Parts parts) {
    try (parts; call.reservation) {
      Map<String, Part> byName = MultipartForm.read(parts);
      parts.close(); // the spool files are no longer needed: their bytes are in byName
      Part log = byName.get("log");
      if (log == null) {
        throw new LogCallException("request needs a multipart part named \"log\" holding the log call JSON");
      }
      String logJson = new String(log.data(), StandardCharsets.UTF_8);
      List<LoggedItem> items = parser.parse(names.project(), names.run(), logJson, byName, call.summary);
      answer(call, deliver(items, new IngestDeadLetters(logJson, byName, producer.maxRecordBytes())));
    } catch (Refusal refusal) {
      refuse(call, refusal);
    } catch (IllegalArgumentException e) {
      refuse(call, new Refusal(400, "bad_request", e.getMessage()));
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      // a fault of ours: the client gets an answer, never a dropped connection
      LOG.error("log call failed", e);
      refuse(call, internalError(e));
    }
  }

  private static Refusal internalError(Throwable error) {
    return new Refusal(500, "internal_error", "the gateway failed on this call: " + error);
  }

  /**
   * Answers a call whose body has not been (fully) read. The rest of the body is read and thrown
   * away first, up to the request limit, so the client, still sending, reads the answer instead
   * of a reset connection; a client that asked {@code Expect: 100-continue} has sent nothing
   * yet and is answered at once.
   */
  private void refuseUnread(Call call, Refusal refusal) {
    call.reservation.close();
    boolean waitsForContinue = call.request.getHeaders().contains(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString())
        && Request.getContentBytesRead(call.request) == 0;
    if (waitsForContinue || call.request.getLength() > settings.maxRequestBytes()) {
      call.response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
      refuse(call, refusal);
      return;
    }
    new Drain(call, refusal).run();
  }

  /** Reads and discards the rest of a refused call's body without holding a thread, then answers. */
  private final class Drain implements Runnable {
    private final Call call;
    private final Refusal refusal;

    Drain(Call call, Refusal refusal) {
      this.call = call;
      this.refusal = refusal;
    }

    @Override
    public void run() {
      while (true) {
        Content.Chunk chunk = call.request.read();
        if (chunk == null) {
          call.request.demand(this);
          return;
        }
        chunk.release();
        boolean over = Request.getContentBytesRead(call.request) > settings.maxRequestBytes();
        if (chunk.isLast() || Content.Chunk.isFailure(chunk) || over) {
          if (!chunk.isLast()) {
            call.response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
          }
          refuse(call, refusal);
          return;
        }
      }
    }
  }

  /** Writes the refusal's answer: {@code {error_code, message, error}} and, for 429/503, Retry-After. */
  private void refuse(Call call, Refusal refusal) {
    call.reservation.close();
    if (refusal.status() == 429) {
      refusedBusy.incrementAndGet();
    }
    if (refusal.status() >= 500) {
      call.response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    }
    send(call.response, call.callback, refusal.status(), errorBody(refusal.errorCode(), refusal.getMessage()),
        refusal.retryAfterSeconds());
  }

  /**
   * The one error shape: {@code error_code} (stable, for programs) and {@code message} (for
   * people); {@code error} repeats the message for clients of the first gateway.
   */
  static ObjectNode errorBody(String errorCode, String message) {
    return JSON.createObjectNode().put("error_code", errorCode).put("message", message).put("error", message);
  }

  private static void send(Response response, Callback callback, int status, ObjectNode body, long retryAfterSeconds) {
    if (retryAfterSeconds > 0) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(retryAfterSeconds));
    }
    write(response, callback, status, "application/json", body.toString());
  }

  private static void write(Response response, Callback callback, int status, String contentType, String text) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.write(true, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), callback);
  }

  private static void report(Response response, Callback callback, Health.Report report) {
    write(response, callback, report.httpStatus(), "application/json", report.json());
  }

  /**
   * The request as a multipart parser reads it when its length is not declared (chunked): each
   * chunk is reserved from the memory budget as it arrives; when the budget cannot hold it the
   * read ends in a 429 {@link Refusal}.
   */
  private static final class BudgetedBody extends Request.Wrapper {
    private final MemoryBudget.Reservation reservation;

    BudgetedBody(Request request, MemoryBudget.Reservation reservation) {
      super(request);
      this.reservation = reservation;
    }

    @Override
    public Content.Chunk read() {
      Content.Chunk chunk = super.read();
      if (chunk != null && chunk.hasRemaining() && !reservation.grow((long) chunk.remaining() * COPIES_PER_BODY_BYTE)) {
        chunk.release();
        return Content.Chunk.from(Refusal.busy("memory_budget_exhausted", "the calls in flight fill the memory"
            + " budget (mediaflow.ingest.memory.budget.bytes) while this chunked body arrives; retry later", 1), true);
      }
      return chunk;
    }
  }

  /** Jetty's own refusals (a bad request line, headers above the limit: 431) in the same JSON shape. */
  private static final class JsonErrors extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
        Callback callback) {
      String errorCode = code == 431 ? "headers_too_large" : code >= 500 ? "internal_error" : "bad_request";
      LogGateway.write(response, callback, code, "application/json", errorBody(errorCode, message).toString());
    }
  }

  /**
   * Sends accepted items and dead-letters rejected ones, all before waiting for any, then waits
   * for the broker's acknowledgements until one deadline for the whole call.
   */
  private Outcome deliver(List<LoggedItem> items, IngestDeadLetters letters) {
    long deadline = System.nanoTime() + settings.callTimeout().toNanos();
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
        + settings.callTimeout().toMillis() + " ms");
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

  private void answer(Call call, Outcome outcome) {
    ObjectNode body = JSON.createObjectNode();
    body.put("accepted", outcome.accepted);
    ArrayNode rejectedNode = body.putArray("rejected");
    outcome.rejected.forEach(rejectedNode::add);
    int status = outcome.accepted > 0 || outcome.rejected.isEmpty() ? 200 : outcome.unavailable ? 503 : 400;
    if (status == 503) {
      String message = "Kafka unavailable: the items were not acknowledged within " + settings.callTimeout().toMillis()
          + " ms; retry the call (an item is identified by its identity, so a retry overwrites, never doubles)";
      body.put("error_code", "kafka_unavailable").put("message", message).put("error", message);
    } else if (status == 400) {
      body.put("error_code", "nothing_accepted").put("message", "no item of the call was accepted; see rejected");
    }
    send(call.response, call.callback, status, body, status == 503 ? 1 : 0);
  }

  private void metrics(Response response, Callback callback) {
    write(response, callback, 200, Metrics.CONTENT_TYPE, metrics.scrape());
  }

  /**
   * Stops taking requests (a call arriving now gets 503), lets running ones finish for up to
   * {@link #STOP_GRACE} (they wait for their acknowledgements), then closes.
   */
  @Override
  public void close() {
    closing = true;
    long deadline = System.nanoTime() + STOP_GRACE.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("HTTP server did not stop cleanly: {}", e.toString());
    }
    calls.shutdown();
    if (ownSpoolDir) {
      IO.delete(spoolDir.toFile());
    }
    LOG.info("ingest gateway stopped");
  }

  private static final class Outcome {
    int accepted;
    boolean unavailable;
    final List<ObjectNode> rejected = new ArrayList<>();
  }
}
