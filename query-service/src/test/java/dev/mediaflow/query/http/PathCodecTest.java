package dev.mediaflow.query.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PathCodecTest {

  @Test
  void shouldRoundTripAnyNameThroughEncodeAndDecode() {
    for (String name : new String[] {"plain", "x+y", "x y", "x%20y", "a/b", "..", ".", "é日😀", "a.b", "", "?#&="}) {
      String encoded = PathCodec.encode(name);
      assertThat(encoded).as(name).doesNotContain("/", "+", " ", "?", "#");
      assertThat(encoded).as(name).isNotIn(".", "..");
      assertThat(PathCodec.decode("key", encoded)).as(name).isEqualTo(name);
    }
  }

  @Test
  void shouldDecodeLikeTheGatewayKeepingPlus() {
    assertThat(PathCodec.decode("run", "x+y")).isEqualTo("x+y");
    assertThat(PathCodec.decode("run", "x%20y")).isEqualTo("x y");
  }

  @Test
  void shouldRefuseMalformedEscapeWith400NamingTheSegment() {
    assertThatThrownBy(() -> PathCodec.decode("run", "x%2")).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.getMessage()).contains("run segment \"x%2\"");
    });
    assertThatThrownBy(() -> PathCodec.decode("key", "%FF")).isInstanceOf(ApiException.class);
  }
}
