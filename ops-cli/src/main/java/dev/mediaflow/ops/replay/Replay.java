package dev.mediaflow.ops.replay;

import dev.mediaflow.ops.OpsSettings;
import dev.mediaflow.ops.kafka.CatchUp;
import dev.mediaflow.ops.kafka.Offsets;
import dev.mediaflow.schemas.serde.SchemaRegistryClient;
import dev.mediaflow.schemas.topics.TopicProvisioner;
import dev.mediaflow.schemas.topics.Topics;
import dev.mediaflow.sink.SinkConfig;
import dev.mediaflow.sink.SinkService;
import dev.mediaflow.transform.TransformConfig;
import dev.mediaflow.transform.TransformService;
import dev.mediaflow.transform.topology.TransformTopology;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Runs one replay in this process: a transform reading the raw topic under the replay's own
 * group and, for a new target, a sink writing the replay's processed topic to the new bucket,
 * prefix and tables.
 *
 * <p>The raw topic's end is taken when the run starts; the run waits until the transform has
 * read up to it, stops the transform, then waits until the sink (the replay's, or the regular
 * one in place) has consumed the processed topic to its end, and stops. Progress lives in the
 * replay's consumer groups, so an interrupted replay resumes where it stopped, and a finished
 * one run again reads nothing and writes nothing.
 */
public final class Replay implements AutoCloseable {
  private static final Duration CHECK_EVERY = Duration.ofMillis(500);

  private final ReplayRequest request;
  private final OpsSettings settings;
  private final PrintWriter out;
  private final Duration progressEvery;
  private final Duration timeout;
  private TransformService transform;
  private SinkService sink;
  private long deadline;

  /** @param timeout how long the run may take; {@code null} for no limit */
  public Replay(ReplayRequest request, OpsSettings settings, PrintWriter out, Duration progressEvery,
      Duration timeout) {
    this.request = request;
    this.settings = settings;
    this.out = out;
    this.progressEvery = progressEvery;
    this.timeout = timeout;
  }

  public ReplaySummary run() {
    long started = System.nanoTime();
    deadline = timeout == null ? Long.MAX_VALUE : started + timeout.toNanos();
    String where = describeTarget(); // checks the target before anything is done
    SchemaRegistryClient registry = new SchemaRegistryClient(settings.registryUrl());
    Topics input = new Topics(registry, settings.topicNamespace());
    Topics output = new Topics(registry, request.outputNamespace(settings.topicNamespace()));
    String raw = input.raw().name();
    try (Admin admin = Admin.create(settings.kafkaClient()); CatchUp catchUp = new CatchUp(settings.kafkaClient())) {
      Offsets offsets = new Offsets(admin);
      Map<TopicPartition, Long> start = request.fromTimestamp() == null
          ? offsets.earliest(raw) : offsets.at(raw, request.fromTimestamp());
      Map<TopicPartition, Long> end = offsets.latest(raw);
      Map<TopicPartition, Long> before = prepareGroup(offsets, raw, start, where);
      if (!request.inPlace()) {
        TopicProvisioner.ensureTopics(admin, output, offsets.partitions(raw).size(), offsets.replicationFactor(raw));
      }
      startServices();
      awaitTransform(offsets, catchUp, raw, start, end);
      TransformTopology.Counts counts = transform.counts();
      stopTransform();
      Map<TopicPartition, Long> after = positions(offsets.committed(request.applicationId(), raw), start);
      awaitSink(offsets, catchUp, output.processed().name());
      Long stored = sink == null ? null : sink.stored();
      close();
      return new ReplaySummary(request.name(), read(start, end, start), read(before, after, start),
          read(start, before, start), counts.transformed(), counts.skipped(), counts.deadLettered(),
          output.deadLetter().name(), stored, where, Duration.ofNanos(System.nanoTime() - started));
    } finally {
      close();
    }
  }

  /** Where the replay's group stands; a new group reading from a timestamp is placed there first. */
  private Map<TopicPartition, Long> prepareGroup(Offsets offsets, String raw, Map<TopicPartition, Long> start,
      String where) {
    Map<TopicPartition, Long> committed = offsets.committed(request.applicationId(), raw);
    if (!committed.isEmpty()) {
      say("resuming replay %s (group %s has committed offsets%s)", request.name(), request.applicationId(),
          request.fromTimestamp() == null ? "" : "; --from-timestamp applies to a new replay only");
    } else {
      if (request.fromTimestamp() != null) {
        offsets.commit(request.applicationId(), start);
      }
      say("starting replay %s from %s into %s", request.name(),
          request.fromTimestamp() == null ? "the beginning" : request.fromTimestamp(), where);
    }
    return positions(committed, start);
  }

  private synchronized void startServices() {
    transform = new TransformService(new TransformConfig(request.transformSettings(settings))).start();
    if (!request.inPlace()) {
      sink = new SinkService(new SinkConfig(request.sinkSettings(settings))).start();
    }
  }

  private void awaitTransform(Offsets offsets, CatchUp catchUp, String raw, Map<TopicPartition, Long> start,
      Map<TopicPartition, Long> end) {
    long total = read(start, end, start);
    awaitUntil(() -> {
      Map<TopicPartition, Long> positions = positions(offsets.committed(request.applicationId(), raw), start);
      return catchUp.reached(positions, end);
    }, done -> {
      long read = Math.min(total, read(start, positions(offsets.committed(request.applicationId(), raw), start), start));
      say("replay %s: transform read %d of %d raw events (%d%%)", request.name(), read, total,
          total == 0 ? 100 : read * 100 / total);
    });
  }

  private void awaitSink(Offsets offsets, CatchUp catchUp, String processed) {
    String group = request.inPlace() ? settings.sinkGroup() : request.sinkGroup();
    Map<TopicPartition, Long> first = offsets.earliest(processed);
    Map<TopicPartition, Long> end = offsets.latest(processed);
    awaitUntil(() -> catchUp.reached(positions(offsets.committed(group, processed), first), end), done -> {
      if (done) {
        say("replay %s: sink (group %s) has consumed %s to the end", request.name(), group, processed);
        return;
      }
      Map<TopicPartition, Long> positions = positions(offsets.committed(group, processed), first);
      long behind = end.entrySet().stream().mapToLong(e -> Math.max(0, e.getValue() - positions.get(e.getKey()))).sum();
      say("replay %s: sink (group %s) about %d records behind", request.name(), group, behind);
    });
  }

  /** Checks every {@link #CHECK_EVERY}; reports progress every {@code progressEvery}, and once done. */
  private void awaitUntil(BooleanSupplier reached, Consumer<Boolean> progress) {
    long nextReport = System.nanoTime() + progressEvery.toNanos();
    while (true) {
      ensureRunning();
      if (reached.getAsBoolean()) {
        progress.accept(true);
        return;
      }
      if (System.nanoTime() >= nextReport) {
        progress.accept(false);
        nextReport = System.nanoTime() + progressEvery.toNanos();
      }
      if (System.nanoTime() >= deadline) {
        throw new IllegalStateException("replay " + request.name() + " did not finish within " + timeout
            + "; run it again to resume");
      }
      sleep(CHECK_EVERY);
    }
  }

  private synchronized void ensureRunning() {
    if (transform != null) {
      KafkaStreams.State state = transform.state();
      if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
          || state == KafkaStreams.State.NOT_RUNNING) {
        throw new IllegalStateException("the replay's transform stopped (" + state + "); see the log");
      }
    }
    if (sink != null && !sink.isRunning()) {
      throw new IllegalStateException("the replay's sink stopped; see the log");
    }
  }

  private synchronized void stopTransform() {
    if (transform != null) {
      transform.close();
      transform = null;
    }
  }

  /** Stops the sink and the transform; what they wrote is committed, so a new run resumes. */
  @Override
  public synchronized void close() {
    if (sink != null) {
      sink.close();
      sink = null;
    }
    stopTransform();
  }

  private String describeTarget() {
    if (request.inPlace()) {
      return "the regular target (sink group " + settings.sinkGroup() + ")";
    }
    Map<String, String> sinkSettings = request.sinkSettings(settings);
    String schema = sinkSettings.get(SinkConfig.JDBC_SCHEMA);
    return "bucket " + sinkSettings.get(SinkConfig.S3_BUCKET) + ", prefix '" + sinkSettings.get(SinkConfig.S3_PREFIX)
        + "', " + redacted(sinkSettings.get(SinkConfig.JDBC_URL)) + (schema == null ? "" : " schema " + schema);
  }

  private void say(String format, Object... args) {
    out.printf(Locale.ROOT, format + "%n", args);
    out.flush();
  }

  /** Committed offsets, with {@code fallback} for partitions the group has not committed on. */
  private static Map<TopicPartition, Long> positions(Map<TopicPartition, Long> committed,
      Map<TopicPartition, Long> fallback) {
    Map<TopicPartition, Long> positions = new HashMap<>();
    fallback.forEach((tp, offset) -> positions.put(tp, committed.getOrDefault(tp, offset)));
    return positions;
  }

  /** Records between two positions, each clamped to at least {@code floor}. */
  private static long read(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to,
      Map<TopicPartition, Long> floor) {
    long sum = 0;
    for (Map.Entry<TopicPartition, Long> e : floor.entrySet()) {
      long a = Math.max(from.get(e.getKey()), e.getValue());
      long b = Math.max(to.get(e.getKey()), e.getValue());
      sum += Math.max(0, b - a);
    }
    return sum;
  }

  private static String redacted(String jdbcUrl) {
    int query = jdbcUrl.indexOf('?');
    return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query) + "?…";
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
