package dev.mediaflow.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class MultipartFormTest {
  private final GatewaySettings settings = new GatewaySettings("127.0.0.1", 0, 8, 1000, 100, 3, 2048,
      Duration.ofSeconds(30), Duration.ofSeconds(30), 10_000, null, 0, 0);
  private final MultipartForm form = new MultipartForm(settings, Path.of("target"));

  @Test
  void shouldAnswerEachParserLimitWith413NamingTheLimitAndItsKey() {
    // Given the failures Jetty's parser reports for each limit
    // When they are turned into answers
    Refusal body = form.refusal(new CompletionException(new IllegalStateException("max length exceeded: 1000")));
    Refusal part = form.refusal(new IllegalStateException("max file size exceeded: 100"));
    Refusal parts = form.refusal(new IllegalStateException("Form with too many keys [4 > 3]"));
    Refusal headers = form.refusal(new IllegalStateException("headers max length exceeded: 2048"));

    // Then each is a 413 with its own code and a reason naming the limit and the key that sets it
    assertThat(body.status()).isEqualTo(413);
    assertThat(body.errorCode()).isEqualTo("request_too_large");
    assertThat(body.getMessage()).contains("1000 bytes", "mediaflow.ingest.http.max.request.bytes");
    assertThat(part.errorCode()).isEqualTo("part_too_large");
    assertThat(part.getMessage()).contains("100 bytes", "mediaflow.ingest.http.max.part.bytes");
    assertThat(parts.errorCode()).isEqualTo("too_many_parts");
    assertThat(parts.getMessage()).contains("more than 3 parts");
    assertThat(headers.errorCode()).isEqualTo("part_headers_too_large");
    assertThat(headers.status()).isEqualTo(413);
  }

  @Test
  void shouldAnswerAStalledBodyWith408AndAMalformedOneWith400() {
    assertThat(form.refusal(new TimeoutException("Idle timeout expired")).status()).isEqualTo(408);
    Refusal truncated = form.refusal(new EOFException());
    assertThat(truncated.status()).isEqualTo(400);
    assertThat(truncated.getMessage()).contains("closing boundary");
  }

  @Test
  void shouldPassABudgetRefusalThroughAsIs() {
    Refusal busy = Refusal.busy("memory_budget_exhausted", "retry later", 1);
    assertThat(form.refusal(new CompletionException(busy))).isSameAs(busy);
  }
}
