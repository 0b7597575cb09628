package dev.mediaflow.query.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StaticPathsTest {

  @Test
  void shouldAcceptThePlainPathsOfTheBrowsersFiles() {
    assertThat(StaticPaths.isPlain("/")).isTrue();
    assertThat(StaticPaths.isPlain("/index.html")).isTrue();
    assertThat(StaticPaths.isPlain("/js/panels/step-slider.js")).isTrue();
    assertThat(StaticPaths.isPlain("/webjars/three/build/three.module.min.js")).isTrue();
  }

  @Test
  void shouldRefuseEscapedSeparatorsDotsAndDotSegments() {
    assertThat(StaticPaths.isPlain("/..%2Fdev/mediaflow/query/QueryService.class")).isFalse();
    assertThat(StaticPaths.isPlain("/js/..%2f..%2fx")).isFalse();
    assertThat(StaticPaths.isPlain("/%2e%2e/x")).isFalse();
    assertThat(StaticPaths.isPlain("/js/../../x")).isFalse();
    assertThat(StaticPaths.isPlain("/js/./app.js")).isFalse();
    assertThat(StaticPaths.isPlain("/js\\..\\x")).isFalse();
    assertThat(StaticPaths.isPlain("relative")).isFalse();
    assertThat(StaticPaths.isPlain(null)).isFalse();
  }
}
