package dev.mediaflow.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.ingest.IngestConfig;
import dev.mediaflow.ops.init.InitConfig;
import dev.mediaflow.query.QueryConfig;
import dev.mediaflow.schemas.config.Settings;
import dev.mediaflow.sink.SinkConfig;
import dev.mediaflow.transform.TransformConfig;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTemplatesTest {
  @TempDir
  Path dir;

  @Test
  void everyKeyOfEveryServiceIsListedWithItsEnvironmentVariable() throws Exception {
    ConfigTemplates.main(new String[] {dir.toString()});

    String ingest = Files.readString(dir.resolve("ingest.properties"));
    assertThat(ingest).contains("#mediaflow.ingest.http.port=8080", "environment MEDIAFLOW_INGEST_HTTP_PORT",
        "# REQUIRED (no default)\n#mediaflow.ingest.bootstrap.servers=", "Address the HTTP gateway binds.");
    assertThat(Files.readString(dir.resolve("transform.properties")))
        .contains("#mediaflow.transform.application.id=mediaflow-transform", "#mediaflow.transform.health.port=-1");
    assertThat(Files.readString(dir.resolve("sink.properties")))
        .contains("#mediaflow.sink.s3.bucket=mediaflow", "MEDIAFLOW_SINK_JDBC_PASSWORD");
    assertThat(Files.readString(dir.resolve("init.properties")))
        .contains("#mediaflow.init.replication.factor=3", "#mediaflow.init.min.insync.replicas=2");
    assertThat(Files.readString(dir.resolve("query.properties")))
        .contains("#mediaflow.query.http.port=8081", "environment MEDIAFLOW_QUERY_AUTH_ENABLED",
            "# REQUIRED (no default)\n#mediaflow.query.jdbc.url=")
        .as("no Kafka pass-through for a service without Kafka").doesNotContain("mediaflow.query.kafka.");
  }

  @Test
  void uncommentedTemplatesAreReadByTheServicesWithTheirDefaults() throws Exception {
    ConfigTemplates.main(new String[] {dir.toString()});
    Path ingest = uncommented("ingest", Map.of("bootstrap.servers", "k:9092", "schema.registry.url", "http://r"));

    IngestConfig config = new IngestConfig(Settings.load(IngestConfig.NAMESPACE, ingest, Map.of()));

    assertThat(config.getInt(IngestConfig.HTTP_PORT)).isEqualTo(8080);
    assertThat(config.getLong(IngestConfig.CALL_TIMEOUT_MS)).isEqualTo(30_000L);
    assertThat(new TransformConfig(Settings.load(TransformConfig.NAMESPACE,
        uncommented("transform", Map.of("bootstrap.servers", "k", "schema.registry.url", "r")), Map.of()))
        .getString(TransformConfig.POINTCLOUD_STRATEGY)).isEqualTo("head");
    assertThat(new SinkConfig(Settings.load(SinkConfig.NAMESPACE, uncommented("sink",
        Map.of("bootstrap.servers", "k", "schema.registry.url", "r", "jdbc.url", "jdbc:sqlite:x")), Map.of()))
        .getString(SinkConfig.S3_BUCKET)).isEqualTo("mediaflow");
    assertThat(new InitConfig(Settings.load(InitConfig.NAMESPACE, uncommented("init",
        Map.of("bootstrap.servers", "k", "schema.registry.url", "r")), Map.of())).getInt(InitConfig.PARTITIONS))
        .isEqualTo(6);
    assertThat(new QueryConfig(Settings.load(QueryConfig.NAMESPACE, uncommented("query",
        Map.of("jdbc.url", "jdbc:sqlite:x")), Map.of())).getLong(QueryConfig.PREVIEW_CACHE_BYTES))
        .isEqualTo(64L * 1024 * 1024);
  }

  /** The template with every key that has a default uncommented, plus the required ones set. */
  private Path uncommented(String service, Map<String, String> required) throws IOException {
    String namespace = "mediaflow." + service + ".";
    StringBuilder text = new StringBuilder();
    for (String line : Files.readAllLines(dir.resolve(service + ".properties"))) {
      if (line.startsWith("#" + namespace) && !line.endsWith("=")) {
        text.append(line.substring(1)).append('\n');
      }
    }
    required.forEach((k, v) -> text.append(namespace).append(k).append('=').append(v).append('\n'));
    Properties check = new Properties();
    check.load(new StringReader(text.toString()));
    assertThat(check).isNotEmpty();
    Path file = dir.resolve(service + "-set.properties");
    Files.writeString(file, text);
    return file;
  }
}
