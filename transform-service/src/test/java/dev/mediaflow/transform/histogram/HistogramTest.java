package dev.mediaflow.transform.histogram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.transform.MediaRejectedException;
import org.junit.jupiter.api.Test;

/** The precomputed pair (wandb's {@code np_histogram}) and the stored JSON form. */
class HistogramTest {

  @Test
  void shouldStoreAPrecomputedPairAsGiven() {
    // Given
    long[] counts = {3, 0, 7};
    double[] edges = {-1.0, 0.5, 2.0, 3.25};

    // When
    Histogram h = Histogram.fromPrecomputed(counts, edges);

    // Then
    assertThat(h.counts()).containsExactly(3, 0, 7);
    assertThat(h.edges()).containsExactly(-1.0, 0.5, 2.0, 3.25);
    assertThat(h.binCount()).isEqualTo(3);
    assertThat(h.hasRealCounts()).isFalse();
    assertThat(h.edgesFloat32()).isFalse();
    assertThat(h.droppedNonFinite()).isZero();
    assertThat(h.toJson()).isEqualTo(
        "{\"_type\": \"histogram\", \"values\": [3, 0, 7], \"bins\": [-1.0, 0.5, 2.0, 3.25]}");
  }

  @Test
  void shouldPrintRealCountsAsFloatsLikeWandb() {
    // Given: np.histogram(..., density=True) counts are floats
    double[] density = {0.25, 1.0, 0.0};

    // When
    Histogram h = Histogram.fromPrecomputed(density, new double[] {0, 1, 2, 3});

    // Then
    assertThat(h.hasRealCounts()).isTrue();
    assertThat(h.counts()).isNull();
    assertThat(h.realCounts()).containsExactly(0.25, 1.0, 0.0);
    assertThat(h.toJson()).isEqualTo(
        "{\"_type\": \"histogram\", \"values\": [0.25, 1.0, 0.0], \"bins\": [0.0, 1.0, 2.0, 3.0]}");
  }

  @Test
  void shouldRejectAPairWhoseEdgesAreNotOneMoreThanItsCounts() {
    // Given
    long[] counts = {1, 2, 3};
    double[] edges = {0, 1, 2};

    // When / Then
    assertThatThrownBy(() -> Histogram.fromPrecomputed(counts, edges))
        .isInstanceOf(HistogramRejectedException.class)
        .isInstanceOf(MediaRejectedException.class)
        .hasMessage("histogram has 3 counts and 3 edges; there must be exactly one more edge"
            + " than counts");
    assertThatThrownBy(() -> Histogram.fromPrecomputed(new double[] {1}, new double[] {0, 1, 2}))
        .isInstanceOf(HistogramRejectedException.class)
        .hasMessageContaining("1 counts and 3 edges");
  }

  @Test
  void shouldRejectAPairWithMoreThan512Bins() {
    // Given
    long[] counts = new long[513];
    double[] edges = new double[514];

    // When / Then
    assertThatThrownBy(() -> Histogram.fromPrecomputed(counts, edges))
        .isInstanceOf(HistogramRejectedException.class)
        .hasMessage("histogram has 513 bins; at most 512 are allowed");
  }

  @Test
  void shouldAcceptExactly512BinsAndAnEmptyPair() {
    // Given
    long[] counts = new long[512];
    double[] edges = new double[513];

    // When
    Histogram big = Histogram.fromPrecomputed(counts, edges);
    Histogram empty = Histogram.fromPrecomputed(new long[0], new double[] {0.5});

    // Then
    assertThat(big.binCount()).isEqualTo(512);
    assertThat(empty.toJson())
        .isEqualTo("{\"_type\": \"histogram\", \"values\": [], \"bins\": [0.5]}");
  }

  @Test
  void shouldRejectNonFiniteNumbersThatJsonCannotStore() {
    // Given
    double[] edges = {0, Double.NaN, 2};

    // When / Then
    assertThatThrownBy(() -> Histogram.fromPrecomputed(new long[] {1, 1}, edges))
        .isInstanceOf(HistogramRejectedException.class)
        .hasMessage("histogram edge 1 is nan; only finite numbers can be stored");
    assertThatThrownBy(() -> Histogram.fromPrecomputed(
            new double[] {Double.POSITIVE_INFINITY}, new double[] {0, 1}))
        .isInstanceOf(HistogramRejectedException.class)
        .hasMessage("histogram count 0 is inf; only finite numbers can be stored");
  }

  @Test
  void shouldNotShareArraysWithTheCaller() {
    // Given
    long[] counts = {1, 2};
    double[] edges = {0, 1, 2};
    Histogram h = Histogram.fromPrecomputed(counts, edges);

    // When
    counts[0] = 99;
    edges[0] = -99;
    h.counts()[1] = 99;
    h.edges()[1] = 99;

    // Then
    assertThat(h.counts()).containsExactly(1, 2);
    assertThat(h.edges()).containsExactly(0, 1, 2);
    assertThat(h).isEqualTo(Histogram.fromPrecomputed(new long[] {1, 2}, new double[] {0, 1, 2}));
  }

  @Test
  void shouldPrintFloat32EdgesAsTheirDoubleValueLikeTolist() {
    // Given: float32(0.1) widened, what np.float32 edges' tolist() gives Python
    double tenth32 = (float) 0.1;

    // When
    Histogram h = new Histogram(new long[] {1}, null, new double[] {tenth32, 1.0}, true, 0);

    // Then
    assertThat(h.toJson()).isEqualTo(
        "{\"_type\": \"histogram\", \"values\": [1], \"bins\": [0.10000000149011612, 1.0]}");
  }

  @Test
  void shouldRefuseFloat32FlagOnEdgesThatAreNotFloat32() {
    // When / Then
    assertThatThrownBy(() -> new Histogram(new long[] {1}, null, new double[] {0.1, 1.0}, true, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
