package dev.mediaflow.ops.replay;

import dev.mediaflow.ops.DurationConverter;
import dev.mediaflow.ops.Main;
import dev.mediaflow.transform.topology.TransformTopology.ItemFilter;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code mediaflow-ops replay}: see {@link Replay}. */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = {"Reprocesses the raw topic through the transform into the sinks, in place or into a new target.",
        "Running the same replay (same --name) again resumes it; once finished it changes nothing."})
public final class ReplayCommand implements Callable<Integer> {
  @ParentCommand
  Main main;

  @Option(names = "--name", required = true, paramLabel = "NAME",
      description = "Names the replay's consumer groups and topics (letters, digits, - and _).")
  String name;

  @ArgGroup(exclusive = true)
  Start start;

  @Option(names = "--project", paramLabel = "P", description = "Only items of this project.")
  String project;

  @Option(names = "--run", paramLabel = "R", description = "Only items of this run (needs --project).")
  String run;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  @Option(names = "--progress-interval", paramLabel = "DURATION", defaultValue = "5s",
      converter = DurationConverter.class, description = "How often progress is printed (default ${DEFAULT-VALUE}).")
  Duration progressInterval;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Give up after this long (the replay resumes when run again); default: no limit.")
  Duration timeout;

  static final class Start {
    @Option(names = "--from-beginning", description = "Read the raw topic from its beginning (default).")
    boolean fromBeginning;

    @Option(names = "--from-timestamp", paramLabel = "ISO-8601",
        description = "Read raw events logged at or after this time, e.g. 2025-06-01T00:00:00Z.")
    String fromTimestamp;
  }

  static final class Target {
    @Option(names = "--in-place", required = true,
        description = "Write the regular processed topic; the regular sink upserts the items again.")
    boolean inPlace;

    @ArgGroup(exclusive = false)
    NewTarget newTarget;
  }

  static final class NewTarget {
    @Option(names = "--target-bucket", paramLabel = "B", description = "Bucket of the new target.")
    String bucket;

    @Option(names = "--target-prefix", paramLabel = "X", description = "Key prefix of the new target.")
    String prefix;

    @Option(names = "--target-jdbc-url", paramLabel = "U", description = "SQL store of the new target.")
    String jdbcUrl;

    @Option(names = "--target-jdbc-schema", paramLabel = "S", description = "PostgreSQL schema of the new target.")
    String jdbcSchema;
  }

  @Override
  public Integer call() {
    ReplayTarget where = target.inPlace ? new ReplayTarget.InPlace() : new ReplayTarget.NewTarget(
        target.newTarget.bucket, target.newTarget.prefix, target.newTarget.jdbcUrl, target.newTarget.jdbcSchema);
    ReplayRequest request = new ReplayRequest(name, fromTimestamp(), filter(), where);
    try (Replay replay = new Replay(request, main.settings(), main.out(), progressInterval, timeout)) {
      Thread hook = new Thread(replay::close, "replay-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        replay.run().print(main.out());
      } finally {
        removeHook(hook);
      }
    }
    return 0;
  }

  private ItemFilter filter() {
    if (run != null && project == null) {
      throw new IllegalArgumentException("--run needs --project");
    }
    return new ItemFilter(project, run);
  }

  private Instant fromTimestamp() {
    if (start == null || start.fromTimestamp == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(start.fromTimestamp).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--from-timestamp needs an ISO-8601 time with an offset, e.g."
          + " 2025-06-01T00:00:00Z: " + start.fromTimestamp);
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down already: the hook is running
    }
  }
}
