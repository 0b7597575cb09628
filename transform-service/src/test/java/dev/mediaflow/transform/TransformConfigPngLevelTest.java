package dev.mediaflow.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The PNG compression level setting: default Pillow's 6, 0–12 accepted, handed to the media rules. */
class TransformConfigPngLevelTest {
  private static final Map<String, String> REQUIRED = Map.of(
      TransformConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9092", TransformConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:1");

  @Test
  void shouldDefaultToPillowsLevelSix() {
    assertThat(new TransformConfig(REQUIRED).rules().pngCompressionLevel()).isEqualTo(6);
    assertThat(MediaRules.DEFAULTS.pngCompressionLevel()).isEqualTo(6);
  }

  @Test
  void shouldPassAConfiguredLevelToTheRules() {
    Map<String, String> values = new java.util.HashMap<>(REQUIRED);
    values.put(TransformConfig.PNG_COMPRESSION_LEVEL, "1");

    assertThat(new TransformConfig(values).rules().pngCompressionLevel()).isEqualTo(1);
  }

  @Test
  void shouldRejectALevelAboveTwelve() {
    Map<String, String> values = new java.util.HashMap<>(REQUIRED);
    values.put(TransformConfig.PNG_COMPRESSION_LEVEL, "13");

    assertThatThrownBy(() -> new TransformConfig(values)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(TransformConfig.PNG_COMPRESSION_LEVEL);
  }
}
