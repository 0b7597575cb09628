package dev.mediaflow.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryConfigTest {
  @TempDir
  Path dir;

  @Test
  void shouldReadTheFileAndLetTheEnvironmentOverrideIt() throws Exception {
    Path file = dir.resolve("query.properties");
    Files.writeString(file, "mediaflow.query.jdbc.url=jdbc:sqlite:/tmp/a.db\nmediaflow.query.http.port=9000\n"
        + "mediaflow.query.s3.endpoint=http://127.0.0.1:9999\nmediaflow.query.s3.secret.key=s3cret\n"
        + "mediaflow.query.s3.access.key=ak\nmediaflow.sink.s3.bucket=not-mine\n");
    QueryConfig config = QueryConfig.load(file, Map.of("MEDIAFLOW_QUERY_HTTP_PORT", "9100",
        "MEDIAFLOW_QUERY_AUTH_ENABLED", "false"));
    assertThat(config.getInt(QueryConfig.HTTP_PORT)).isEqualTo(9100);
    assertThat(config.authEnabled()).isFalse();
    assertThat(config.bucket()).isEqualTo("mediaflow");
    assertThat(config.s3().endpoint().toString()).isEqualTo("http://127.0.0.1:9999");
    assertThat(config.s3().pathStyleAccess()).isTrue();
    assertThat(config.s3().toString()).doesNotContain("s3cret");
    assertThat(config.database().describe()).isEqualTo("jdbc:sqlite:/tmp/a.db");
  }

  @Test
  void shouldDefaultToPort8081WithKeysOn() {
    QueryConfig config = new QueryConfig(Map.of(QueryConfig.JDBC_URL, "jdbc:sqlite:/tmp/a.db"));
    assertThat(config.getInt(QueryConfig.HTTP_PORT)).isEqualTo(8081);
    assertThat(config.authEnabled()).isTrue();
  }

  @Test
  void shouldFailAtStartWithoutTheMetadataStore() {
    assertThatThrownBy(() -> new QueryConfig(Map.of())).isInstanceOf(ConfigException.class)
        .hasMessageContaining("jdbc.url");
  }
}
