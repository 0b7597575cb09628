package dev.mediaflow.ops.init;

import dev.mediaflow.ops.Main;
import dev.mediaflow.schemas.serde.SchemaRegistryClient;
import dev.mediaflow.schemas.topics.Topics;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mediaflow init}: creates the topics and registers the schemas on any cluster and
 * registry; running it again changes nothing. Exit code 1 when an existing topic has other
 * settings than asked for (it is reported, never altered).
 */
@Command(name = "init", mixinStandardHelpOptions = true,
    description = {"Creates the topics (partitions, replication, min.insync.replicas, retention) and registers"
        + " the Avro schemas; says what it created and what it found. Safe to run again.",
        "Settings: options, else mediaflow.init.* in --config, else MEDIAFLOW_INIT_* environment variables;"
            + " MEDIAFLOW_INIT_KAFKA_* (mediaflow.init.kafka.*) pass through to the admin client (SASL/SSL)."})
public final class InitCommand implements Callable<Integer> {
  @ParentCommand
  Main main;

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...", description = "Kafka bootstrap servers.")
  String bootstrapServers;

  @Option(names = "--schema-registry-url", paramLabel = "URL",
      description = "Confluent-API registry root, e.g. http://registry:8080/apis/ccompat/v7.")
  String registryUrl;

  @Option(names = "--partitions", paramLabel = "N", description = "Partitions of the raw and processed topics"
      + " (default 6).")
  Integer partitions;

  @Option(names = "--replication-factor", paramLabel = "N", description = "Replicas of every topic (default 3).")
  Short replicationFactor;

  @Option(names = "--min-insync-replicas", paramLabel = "N", description = "min.insync.replicas (default 2).")
  Integer minInsyncReplicas;

  @Override
  public Integer call() {
    InitConfig config = InitConfig.load(main.configFile(), main.env(), overrides());
    PrintWriter out = main.out();
    InitReport report;
    try (Admin admin = Admin.create(config.admin())) {
      SchemaRegistryClient registry = new SchemaRegistryClient(config.getString(InitConfig.SCHEMA_REGISTRY_URL));
      Topics topics = new Topics(registry, config.getString(InitConfig.TOPIC_NAMESPACE));
      report = new ClusterInit(admin, registry, topics).run(config.topicSettings());
    }
    report.lines().forEach(line -> out.println("[init] " + line));
    out.printf("[init] %d created, %d found, %d with other settings%n", report.createdCount(), report.foundCount(),
        report.problems().size());
    if (!report.problems().isEmpty()) {
      out.println("[init] init never changes an existing topic: alter it (kafka-topics.sh --alter, kafka-configs.sh)"
          + " or, if it holds nothing yet, delete it and run init again");
      return 1;
    }
    return 0;
  }

  private Map<String, String> overrides() {
    Map<String, String> values = new HashMap<>();
    putIfSet(values, InitConfig.BOOTSTRAP_SERVERS, bootstrapServers);
    putIfSet(values, InitConfig.SCHEMA_REGISTRY_URL, registryUrl);
    putIfSet(values, InitConfig.PARTITIONS, partitions);
    putIfSet(values, InitConfig.REPLICATION_FACTOR, replicationFactor);
    putIfSet(values, InitConfig.MIN_INSYNC_REPLICAS, minInsyncReplicas);
    return values;
  }

  private static void putIfSet(Map<String, String> values, String key, Object value) {
    if (value != null) {
      values.put(key, value.toString());
    }
  }
}
