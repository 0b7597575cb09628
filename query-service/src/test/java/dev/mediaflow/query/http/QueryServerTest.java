package dev.mediaflow.query.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class QueryServerTest {

  @Test
  void shouldSplitSegmentsKeepingEmptyOnesAndIgnoringOneTrailingSlash() {
    assertThat(QueryServer.segments("")).isEmpty();
    assertThat(QueryServer.segments("/")).isEmpty();
    assertThat(QueryServer.segments("/projects")).containsExactly("projects");
    assertThat(QueryServer.segments("/projects/p/runs/")).containsExactly("projects", "p", "runs");
    assertThat(QueryServer.segments("/projects/p/runs/r/keys//steps")).isEqualTo(
        List.of("projects", "p", "runs", "r", "keys", "", "steps"));
  }
}
