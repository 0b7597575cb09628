package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class QueryDocTest {

  @Test
  void shouldParseEveryQueryOfTheDocWithItsDocumentedResult() throws Exception {
    // When
    List<QueryDoc> queries = QueryDoc.all();

    // Then every section has SQL and a result whose rows are as wide as its header
    assertThat(queries).hasSizeGreaterThanOrEqualTo(10);
    assertThat(queries).allSatisfy(q -> {
      assertThat(q.sql()).startsWith("SELECT");
      assertThat(q.rows()).isNotEmpty().allSatisfy(r -> assertThat(r).hasSameSizeAs(q.columns()));
    });
  }

  @Test
  void shouldMatchNumbersOfEitherEngineButNotOtherValues() {
    // Then
    assertThat(QueryDoc.matches("1.5", 1.5000000000001)).isTrue();
    assertThat(QueryDoc.matches("14", 14L)).isTrue();
    assertThat(QueryDoc.matches("14", new java.math.BigDecimal("14"))).isTrue();
    assertThat(QueryDoc.matches("0.2", 0.3)).isFalse();
    assertThat(QueryDoc.matches("NULL", null)).isTrue();
    assertThat(QueryDoc.matches("NULL", 0)).isFalse();
    assertThat(QueryDoc.matches("*", 1_700_000_000_000L)).isTrue();
    assertThat(QueryDoc.matches("*", null)).isFalse();
    assertThat(QueryDoc.matches("car", "cars")).isFalse();
  }
}
