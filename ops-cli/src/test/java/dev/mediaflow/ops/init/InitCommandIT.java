package dev.mediaflow.ops.init;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.infra.KafkaBroker;
import dev.mediaflow.infra.SchemaRegistryServer;
import dev.mediaflow.ops.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mediaflow init} against a real KRaft broker and Apicurio: creates, then finds, and reports wrong topics. */
class InitCommandIT {
  @TempDir
  static Path dir;

  static KafkaBroker broker;
  static SchemaRegistryServer registry;

  @BeforeAll
  static void startInfrastructure() {
    broker = KafkaBroker.start(dir.resolve("kafka"));
    registry = SchemaRegistryServer.start(dir.resolve("registry"));
  }

  @AfterAll
  static void stopInfrastructure() {
    if (registry != null) {
      registry.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void firstRunCreatesTopicsAndSchemasAndSecondRunOnlyFindsThem() throws Exception {
    Map<String, String> env = env("first.");

    Result first = init(env);
    assertThat(first.code).as(first.out).isZero();
    assertThat(first.out).contains("created topic first.mediaflow.media.raw (partitions 4, replication 1,"
            + " min.insync.replicas 1, retention forever)")
        .contains("created topic first.mediaflow.media.processed").contains("created topic first.mediaflow.deadletter")
        .contains("created schema first.mediaflow.media.raw-value").contains("5 created, 0 found, 0 with other");

    Result second = init(env);
    assertThat(second.code).as(second.out).isZero();
    assertThat(second.out).contains("found   topic first.mediaflow.media.raw (partitions 4")
        .contains("found   schema first.mediaflow.media.processed-value").contains("0 created, 5 found, 0 with other")
        .doesNotContain("created ");

    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      ConfigResource raw = new ConfigResource(ConfigResource.Type.TOPIC, "first.mediaflow.media.raw");
      var config = admin.describeConfigs(List.of(raw)).all().get().get(raw);
      assertThat(config.get("retention.ms").value()).isEqualTo("-1");
      assertThat(config.get("min.insync.replicas").value()).isEqualTo("1");
      assertThat(admin.describeTopics(List.of(raw.name())).allTopicNames().get().get(raw.name()).partitions())
          .hasSize(4);
    }
  }

  @Test
  void anExistingTopicWithOtherSettingsIsReportedAndLeftAlone() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic("wrong.mediaflow.media.raw", 2, (short) 1)
          .configs(Map.of("retention.ms", "3600000")))).all().get();
    }

    Result result = init(env("wrong."));

    assertThat(result.code).as(result.out).isEqualTo(1);
    assertThat(result.out).contains("WRONG   topic wrong.mediaflow.media.raw exists with other settings: partitions 2"
            + " (wanted 4), retention.ms 3600000 (wanted -1)")
        .contains("created topic wrong.mediaflow.media.processed").contains("1 with other settings")
        .contains("init never changes an existing topic");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      assertThat(admin.describeTopics(List.of("wrong.mediaflow.media.raw")).allTopicNames().get()
          .get("wrong.mediaflow.media.raw").partitions()).as("left as it was").hasSize(2);
    }
  }

  @Test
  void minInsyncReplicasAboveTheReplicationFactorIsRefusedAsBadUsage() {
    Result result = init(Map.of("MEDIAFLOW_INIT_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
        "MEDIAFLOW_INIT_SCHEMA_REGISTRY_URL", registry.confluentApiUrl()), "--replication-factor", "1");

    assertThat(result.code).isEqualTo(2);
    assertThat(result.err).contains("min.insync.replicas 2 is above the replication factor 1");
  }

  /** Settings the way compose gives them: environment only, replication fitted to one broker. */
  private static Map<String, String> env(String namespace) {
    return Map.of("MEDIAFLOW_INIT_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
        "MEDIAFLOW_INIT_SCHEMA_REGISTRY_URL", registry.confluentApiUrl(),
        "MEDIAFLOW_INIT_PARTITIONS", "4",
        "MEDIAFLOW_INIT_REPLICATION_FACTOR", "1",
        "MEDIAFLOW_INIT_MIN_INSYNC_REPLICAS", "1",
        "MEDIAFLOW_INIT_TOPIC_NAMESPACE", namespace);
  }

  private static Result init(Map<String, String> env, String... options) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] args = new String[options.length + 1];
    args[0] = "init";
    System.arraycopy(options, 0, args, 1, options.length);
    int code = Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    System.out.print(out);
    System.err.print(err);
    return new Result(code, out.toString(), err.toString());
  }

  private record Result(int code, String out, String err) {}
}
