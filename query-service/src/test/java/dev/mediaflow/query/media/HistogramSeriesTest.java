package dev.mediaflow.query.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediaflow.query.store.HistogramBin;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistogramSeriesTest {

  @Test
  void shouldGroupBinsIntoOneEntryPerHistogramWithOneMoreEdgeThanCounts() {
    List<HistogramBin> bins = List.of(new HistogramBin(0, 0, 0, -2, -1, 1), new HistogramBin(0, 0, 1, -1, 0, 4),
        new HistogramBin(3, 0, 0, -1, 0, 2), new HistogramBin(3, 0, 1, 0, 3, 7));
    ObjectNode series = HistogramSeries.of("g", bins);
    assertThat(series.get("series")).hasSize(2);
    assertThat(series.get("series").get(0).get("edges").toString()).isEqualTo("[-2.0,-1.0,0.0]");
    assertThat(series.get("series").get(0).get("counts").toString()).isEqualTo("[1.0,4.0]");
    assertThat(series.get("series").get(1).get("step").asLong()).isEqualTo(3);
    assertThat(series.get("min_edge").asDouble()).isEqualTo(-2);
    assertThat(series.get("max_edge").asDouble()).isEqualTo(3);
    assertThat(series.get("max_count").asDouble()).isEqualTo(7);
  }

  @Test
  void shouldGiveAnEmptySeriesWithoutBins() {
    ObjectNode series = HistogramSeries.of("g", List.of());
    assertThat(series.get("series")).isEmpty();
    assertThat(series.get("min_edge").isNull()).isTrue();
  }
}
