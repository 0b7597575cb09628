package dev.mediaflow.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.ingest.IngestConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class AuthSettingsTest {
  private static Map<String, String> required() {
    Map<String, String> values = new HashMap<>();
    values.put(IngestConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9");
    values.put(IngestConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:9");
    return values;
  }

  @Test
  void shouldRequireKeysByDefaultWithATwoSecondCache() {
    IngestConfig config = new IngestConfig(required());

    assertThat(config.authEnabled()).isTrue();
    assertThat(config.authCacheTtl()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void shouldRefuseToStartWithKeysOnButNoKeyStore() {
    IngestConfig config = new IngestConfig(required());

    assertThatThrownBy(config::keyStoreDatabase).isInstanceOf(ConfigException.class)
        .hasMessageContaining("mediaflow.ingest.jdbc.url").hasMessageContaining("auth.enabled");
  }

  @Test
  void shouldNeverShowTheKeyStorePasswordInTheSettings() {
    Map<String, String> values = required();
    values.put(IngestConfig.JDBC_URL, "jdbc:postgresql://db/mediaflow");
    values.put(IngestConfig.JDBC_PASSWORD, "s3cret-pw");

    IngestConfig config = new IngestConfig(values);

    assertThat(config.values().toString()).doesNotContain("s3cret-pw");
    assertThat(config.keyStoreDatabase().describe()).isEqualTo("jdbc:postgresql://db/mediaflow");
  }
}
