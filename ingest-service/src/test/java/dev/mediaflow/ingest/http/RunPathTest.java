package dev.mediaflow.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.ingest.logcall.LogCallException;
import dev.mediaflow.schemas.identity.ItemIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RunPathTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "x+y          | x+y",
    "x%20y        | x y",
    "x%2520y      | x%20y",
    "x%2By        | x+y",
    "%E6%97%A5    | 日"
  })
  void shouldDecodeRunAsAPathSegmentNotAForm(String raw, String run) {
    // When / Then
    assertThat(RunPath.decode("p", raw)).isEqualTo(new RunPath("p", run));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "p     | x%2      | path: run segment \"x%2\": malformed percent-escape",
    "p%zz  | r        | path: project segment \"p%zz\": malformed percent-escape",
    "p     | %ED%A0%80 | path: run segment \"%ED%A0%80\": percent-escapes do not decode to valid UTF-8",
    "p     | %FF      | valid UTF-8",
    "p     | a%01     | path: run \"a\\u0001\" holds control character U+0001",
    "p%7F  | r        | path: project \"p\\u007F\" holds control character U+007F",
    "p     | %C2%85   | control character U+0085"
  })
  void shouldRefuseMalformedOrInvalidSegmentsNamingThem(String project, String run, String reason) {
    // When / Then
    assertThatThrownBy(() -> RunPath.decode(project, run))
        .isInstanceOf(LogCallException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void shouldRefuseRunAboveItsLimit() {
    // Given
    String atLimit = "r".repeat(ItemIdentity.MAX_RUN_BYTES);

    // When / Then
    assertThat(RunPath.decode("p", atLimit).run()).isEqualTo(atLimit);
    assertThatThrownBy(() -> RunPath.decode("p", atLimit + "r"))
        .hasMessageContaining("path: run \"rrr").hasMessageContaining("above the limit of " + ItemIdentity.MAX_RUN_BYTES);
  }
}
