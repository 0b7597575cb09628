package dev.mediaflow.transform.pointcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class TruncationPolicyTest {

  static Stream<Arguments> sizesAndStrategies() {
    return Stream.of(299_999, 300_000, 300_001, 1_000_000)
        .flatMap(n -> Stream.of(TruncationStrategy.values()).map(s -> Arguments.of(n, s)));
  }

  @ParameterizedTest(name = "{0} points, {1}")
  @MethodSource("sizesAndStrategies")
  void shouldKeepAtMostTheDefaultLimitInOriginalOrder(int n, TruncationStrategy strategy) {
    // Given a cloud whose x is each point's index
    PointCloud cloud = PointCloudFixtures.indexed(n, PointCloud.Layout.XYZ_RGB);
    TruncationPolicy policy = new TruncationPolicy(TruncationPolicy.DEFAULT_LIMIT, strategy);

    // When
    TruncatedPointCloud result = policy.apply(cloud);

    // Then
    int limit = 300_000;
    assertThat(result.originalCount()).isEqualTo(n);
    assertThat(result.strategy()).isEqualTo(strategy);
    assertThat(result.truncated()).isEqualTo(n > limit);
    assertThat(result.keptCount()).isEqualTo(Math.min(n, limit));
    if (n <= limit) {
      assertThat(result.cloud()).as("untouched").isSameAs(cloud);
      return;
    }
    PointCloud kept = result.cloud();
    for (int i = 0; i < kept.count(); i++) {
      long source = strategy == TruncationStrategy.HEAD ? i : (long) i * n / limit;
      if (kept.get(i, 0) != source || kept.get(i, 1) != -source || kept.get(i, 3) != (source & 0xFF)) {
        throw new AssertionError("kept point " + i + " is " + kept.get(i, 0) + ", expected " + source);
      }
    }
    assertThat(kept.get(0, 0)).as("first point always kept").isZero();
    assertThat(kept.get(limit - 1, 0)).isEqualTo(strategy == TruncationStrategy.HEAD
        ? limit - 1 : (double) ((long) (limit - 1) * n / limit));
  }

  @Test
  void shouldSpreadStridedPointsOverTheWholeCloud() {
    // Given
    int n = 1_000_000;
    PointCloud cloud = PointCloudFixtures.indexed(n, PointCloud.Layout.XYZ);

    // When
    PointCloud kept = TruncationPolicy.DEFAULT.apply(cloud).cloud();
    PointCloud strided = new TruncationPolicy(300_000, TruncationStrategy.STRIDED).apply(cloud).cloud();

    // Then HEAD never gets past the first 30 % of the cloud; STRIDED reaches its end with
    // gaps of 3 or 4 points (n / limit = 3.33)
    assertThat(kept.get(kept.count() - 1, 0)).isEqualTo(299_999);
    assertThat(strided.get(strided.count() - 1, 0)).isGreaterThanOrEqualTo(n - 4);
    for (int i = 1; i < strided.count(); i++) {
      double gap = strided.get(i, 0) - strided.get(i - 1, 0);
      if (gap != 3 && gap != 4) {
        throw new AssertionError("gap " + gap + " before kept point " + i);
      }
    }
  }

  @Test
  void shouldWalkTheStrideExactlyLikeTheFormula() {
    // Given random sizes and limits, including limits just below n and tiny limits
    SplittableRandom random = new SplittableRandom(7);
    for (int round = 0; round < 300; round++) {
      int n = random.nextInt(2, 60_000);
      int limit = switch (round % 3) {
        case 0 -> random.nextInt(1, n);
        case 1 -> n - 1;
        default -> random.nextInt(1, Math.min(n, 10));
      };
      PointCloud cloud = PointCloudFixtures.indexed(n, PointCloud.Layout.XYZ);

      // When
      PointCloud kept = new TruncationPolicy(limit, TruncationStrategy.STRIDED).apply(cloud).cloud();

      // Then
      for (int i = 0; i < limit; i++) {
        long expected = (long) i * n / limit;
        if (kept.get(i, 0) != expected) {
          throw new AssertionError("n=" + n + " limit=" + limit + " i=" + i + ": " + kept.get(i, 0));
        }
      }
    }
  }

  @Test
  void shouldSelectTheSameIndicesAsNumpy() {
    // Given numpy's arr[:limit] and arr[(np.arange(limit) * n) // limit] for several limits
    JsonNode manifest = PointCloudFixtures.json("truncation.json");
    int n = manifest.get("n").asInt();
    PointCloud cloud = PointCloudFixtures.indexed(n, PointCloud.Layout.XYZ);

    for (JsonNode c : manifest.get("cases")) {
      int limit = c.get("limit").asInt();
      for (TruncationStrategy strategy : TruncationStrategy.values()) {
        // When
        PointCloud kept = new TruncationPolicy(limit, strategy).apply(cloud).cloud();

        // Then
        JsonNode expected = c.get(strategy == TruncationStrategy.HEAD ? "head" : "strided");
        double[] indices = new double[expected.size()];
        for (int i = 0; i < indices.length; i++) {
          indices[i] = expected.get(i).asLong();
        }
        double[] x = new double[kept.count()];
        for (int i = 0; i < x.length; i++) {
          x[i] = kept.get(i, 0);
        }
        assertThat(x).as("limit %d %s", limit, strategy).containsExactly(indices);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TruncationStrategy.class)
  void shouldKeepExactlyTheRowsNumpyKeeps(TruncationStrategy strategy) {
    // Given
    JsonNode selections = PointCloudFixtures.json("truncation.json").get("selections");
    PointCloud cloud = PointCloudFixtures.npy("cloud_1000x6_float64.npy").toPointCloud();
    double[] expected = PointCloudFixtures.npy(selections.get(strategy.name()).asText()).doubles();

    // When
    TruncatedPointCloud result = new TruncationPolicy(selections.get("limit").asInt(), strategy).apply(cloud);

    // Then
    assertThat(result.truncated()).isTrue();
    assertThat(result.originalCount()).isEqualTo(1000);
    assertThat(result.cloud().toArray()).containsExactly(expected);
  }

  @Test
  void shouldDefaultToTheFirst300000Points() {
    assertThat(TruncationPolicy.DEFAULT.limit()).isEqualTo(300_000);
    assertThat(TruncationPolicy.DEFAULT.strategy()).isEqualTo(TruncationStrategy.HEAD);
  }

  @Test
  void shouldRejectALimitBelowOne() {
    assertThatThrownBy(() -> new TruncationPolicy(0, TruncationStrategy.HEAD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("point limit must be at least 1, got 0");
  }

  @Test
  void shouldNotRecordATruncationThatDidNotDropPoints() {
    PointCloud cloud = PointCloudFixtures.indexed(3, PointCloud.Layout.XYZ);
    assertThatThrownBy(() -> new TruncatedPointCloud(cloud, 3, true, TruncationStrategy.HEAD))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
