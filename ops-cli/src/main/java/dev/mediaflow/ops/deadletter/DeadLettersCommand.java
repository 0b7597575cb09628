package dev.mediaflow.ops.deadletter;

import dev.mediaflow.ops.Main;
import dev.mediaflow.schemas.serde.SchemaRegistryClient;
import dev.mediaflow.schemas.topics.Topics;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mediaflow-ops deadletters list|redrive}. */
@Command(name = "deadletters", mixinStandardHelpOptions = true,
    description = "Lists dead letters, or re-drives them after a fix.",
    subcommands = {DeadLettersCommand.ListCommand.class, DeadLettersCommand.RedriveCommand.class})
public final class DeadLettersCommand implements Runnable {
  @ParentCommand
  Main main;

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "choose list or redrive");
  }

  Topics topics(String namespace) {
    return new Topics(new SchemaRegistryClient(main.settings().registryUrl()), namespace);
  }

  /** One line per dead letter: position, stage, item, reason, source. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Prints one tab-separated line per dead letter: partition:offset, stage, item"
          + " (project/run/key/step/index), reason, source (topic-partition@offset).")
  static final class ListCommand implements Callable<Integer> {
    @ParentCommand
    DeadLettersCommand parent;

    @Option(names = "--stage", paramLabel = "S", description = "Only letters of this stage: ingest, transform, sink.")
    String stage;

    @Option(names = "--project", paramLabel = "P", description = "Only letters of this project.")
    String project;

    @Option(names = "--run", paramLabel = "R", description = "Only letters of this run.")
    String run;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
        description = "Print at most N letters, oldest first (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--replay", paramLabel = "NAME", description = "List the dead letters of this replay instead.")
    String replay;

    @Override
    public Integer call() {
      var settings = parent.main.settings();
      String namespace = replay == null ? settings.topicNamespace() : "replay-" + replay + "." + settings.topicNamespace();
      String topic = parent.topics(namespace).deadLetter().name();
      DeadLetterFilter filter = new DeadLetterFilter(stage, project, run);
      var out = parent.main.out();
      long[] counts = new long[2]; // matching, shown
      try (KafkaConsumer<byte[], byte[]> consumer = DeadLetterReader.consumer(settings.kafkaClient(), null)) {
        for (TopicPartition tp : DeadLetterReader.partitions(consumer, topic)) {
          DeadLetterReader.Range range = DeadLetterReader.range(consumer, tp);
          DeadLetterReader.read(consumer, tp, range.first(), range.end(), letter -> {
            if (filter.matches(letter) && counts[0]++ < limit) {
              out.println(letter.line());
              counts[1]++;
            }
          });
        }
      }
      out.printf("%d of %d matching dead letters shown (%s)%n", counts[1], counts[0], topic);
      out.flush();
      return 0;
    }
  }

  /** Sends selected letters back to their source topic; see {@link Redrive}. */
  @Command(name = "redrive", mixinStandardHelpOptions = true,
      description = {"Re-produces the original bytes of matching dead letters to their source topic.",
          "Progress is kept in group " + Redrive.GROUP + ", so a letter is re-driven once."})
  static final class RedriveCommand implements Callable<Integer> {
    @ParentCommand
    DeadLettersCommand parent;

    @Option(names = "--stage", required = true, paramLabel = "transform|sink",
        description = "Which stage's letters: transform (back to the raw topic) or sink (back to the processed topic).")
    String stage;

    @Option(names = "--project", paramLabel = "P", description = "Only letters of this project.")
    String project;

    @Option(names = "--run", paramLabel = "R", description = "Only letters of this run (needs --project).")
    String run;

    @Option(names = "--include-redriven",
        description = "Also re-drive letters that are the rejection of an earlier redrive (after another fix).")
    boolean includeRedriven;

    @Override
    public Integer call() {
      var settings = parent.main.settings();
      var out = parent.main.out();
      new Redrive(settings, parent.topics(settings.topicNamespace()), stage, project, run, includeRedriven, out)
          .run().print(out);
      return 0;
    }
  }
}
