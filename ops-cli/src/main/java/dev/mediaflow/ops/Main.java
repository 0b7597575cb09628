package dev.mediaflow.ops;

import dev.mediaflow.metadata.MetadataException;
import dev.mediaflow.ops.deadletter.DeadLettersCommand;
import dev.mediaflow.ops.init.InitCommand;
import dev.mediaflow.ops.keys.KeysCommand;
import dev.mediaflow.ops.replay.ReplayCommand;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code mediaflow-ops}: operator commands for a running pipeline.
 *
 * <pre>
 *   mediaflow-ops [--config FILE] replay --name N [--from-beginning | --from-timestamp T]
 *       [--project P [--run R]] (--in-place | --target-bucket B --target-prefix X
 *       --target-jdbc-url U --target-jdbc-schema S)
 *   mediaflow-ops [--config FILE] deadletters list [--stage S] [--project P] [--run R] [--limit N]
 *   mediaflow-ops [--config FILE] deadletters redrive --stage transform|sink [--project P] [--run R]
 *   mediaflow-ops [--config FILE] keys create --project P|* --scope write|read [--label L]
 *   mediaflow-ops [--config FILE] keys list
 *   mediaflow-ops [--config FILE] keys revoke ID
 *   mediaflow-ops [--config FILE] init [--bootstrap-servers B] [--schema-registry-url U] [--partitions N]
 *       [--replication-factor N] [--min-insync-replicas N]
 * </pre>
 *
 * Settings come from the services' own mechanism: the properties file (keys under
 * {@code mediaflow.transform.} and {@code mediaflow.sink.}) with environment variables on top.
 * Exit codes: 0 done, 1 failed, 2 bad usage.
 */
@Command(name = "mediaflow-ops", mixinStandardHelpOptions = true, version = "mediaflow-ops 0.1",
    description = "Replays the raw topic into the sinks; lists and re-drives dead letters; manages API keys;"
        + " creates topics and schemas (init).",
    subcommands = {ReplayCommand.class, DeadLettersCommand.class, KeysCommand.class, InitCommand.class})
public final class Main implements Runnable {
  @Option(names = {"-c", "--config"}, paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Properties file with mediaflow.transform.* and mediaflow.sink.* settings"
          + " (environment variables MEDIAFLOW_TRANSFORM_*, MEDIAFLOW_SINK_* override it).")
  Path config;

  @Spec
  CommandSpec spec;

  private final Map<String, String> env;

  private Main(Map<String, String> env) {
    this.env = env;
  }

  public static void main(String[] args) {
    int code = run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    System.exit(code);
  }

  /** Runs one command line; returns its exit code. */
  public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Main(env));
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + describe(e));
      if (!expected(e)) {
        e.printStackTrace(commandLine.getErr());
      }
      commandLine.getErr().flush();
      return e instanceof IllegalArgumentException || e instanceof ConfigException ? 2 : 1;
    });
    return cli.execute(args);
  }

  /** Failures whose message says it all; anything else is a bug and gets its stack trace. */
  private static boolean expected(Exception e) {
    return e instanceof IllegalArgumentException || e instanceof IllegalStateException
        || e instanceof UncheckedIOException || e instanceof KafkaException || e instanceof MetadataException;
  }

  /** The message and the causes' messages: operators get the why, not a stack trace. */
  private static String describe(Throwable e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
      if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
        text.append(" (").append(cause.getMessage()).append(')');
      }
    }
    return text.toString();
  }

  /** The settings file and the environment, as the services read them. */
  public OpsSettings settings() {
    return OpsSettings.load(config, env);
  }

  /** The {@code --config} file, or null. */
  public Path configFile() {
    return config;
  }

  /** The environment the settings are read from. */
  public Map<String, String> env() {
    return env;
  }

  public PrintWriter out() {
    return spec.commandLine().getOut();
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "choose a command: replay, deadletters, keys or init");
  }
}
