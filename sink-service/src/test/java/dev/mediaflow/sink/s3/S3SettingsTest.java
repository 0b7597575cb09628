package dev.mediaflow.sink.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class S3SettingsTest {

  @Test
  void shouldMaskTheSecretKeyWhenShown() {
    // Given
    S3Settings settings = S3Settings.of(URI.create("http://127.0.0.1:9000"), "us-east-1", "id", "very-secret");

    // When
    String shown = settings.toString();

    // Then
    assertThat(shown).doesNotContain("very-secret").contains("secretKey=****").contains("accessKey=id");
  }

  @Test
  void shouldRejectAnAccessKeyWithoutSecretKey() {
    // When / Then
    assertThatThrownBy(() -> new S3Settings(null, "us-east-1", "id", null, false, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("together");
  }

  @Test
  void shouldTreatBlankCredentialsAsAbsent() {
    // When
    S3Settings settings = new S3Settings(null, "us-east-1", "", " ", false, Duration.ofSeconds(1));

    // Then
    assertThat(settings.accessKey()).isNull();
    assertThat(settings.secretKey()).isNull();
  }
}
