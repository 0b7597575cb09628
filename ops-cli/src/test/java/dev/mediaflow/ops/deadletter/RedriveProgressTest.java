package dev.mediaflow.ops.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RedriveProgressTest {

  @Test
  void shouldMoveToTheEndWhenEveryLetterIsSettled() {
    // Given a fresh partition
    RedriveProgress progress = RedriveProgress.parse(0, null);

    // When letters are re-driven or settled, with a transaction marker at 2
    progress.redriven(0);
    progress.settled(1);
    progress.redriven(3);
    progress.walkedTo(5);

    // Then the position is the end and nothing needs remembering
    assertThat(progress.position()).isEqualTo(5);
    assertThat(progress.metadata()).isEmpty();
  }

  @Test
  void shouldStopAtTheFirstLetterLeftAndRememberWhatWasReDrivenBeyondIt() {
    // Given letters 10..16, where 11 is left for another stage
    RedriveProgress progress = RedriveProgress.parse(10, "");

    // When
    progress.redriven(10);
    progress.left(11);
    progress.redriven(12);
    progress.redriven(13);
    progress.settled(14); // an ingest letter: never re-drivable, nothing to remember
    progress.redriven(16);
    progress.walkedTo(17);

    // Then
    assertThat(progress.position()).isEqualTo(11);
    assertThat(progress.metadata()).isEqualTo("redriven=12-13,16");
  }

  @Test
  void shouldNotReDriveAgainWhatTheMetadataRemembersAndForgetItOnceThePositionPassesIt() {
    // Given the progress committed above
    RedriveProgress progress = RedriveProgress.parse(11, "redriven=12-13,16");

    // When the letter left before is re-driven now
    progress.redriven(11);
    assertThat(progress.alreadyRedriven(12)).isTrue();
    progress.settled(12);
    progress.settled(13);
    progress.settled(14);
    assertThat(progress.alreadyRedriven(15)).isFalse();
    progress.redriven(15);
    progress.settled(16);
    progress.walkedTo(17);

    // Then
    assertThat(progress.position()).isEqualTo(17);
    assertThat(progress.metadata()).isEmpty();
  }

  @Test
  void shouldRefuseToRememberPastTheMetadataLimit() {
    // Given a blocked walk that re-drove every other letter
    RedriveProgress progress = RedriveProgress.parse(0, null);
    progress.left(0);
    long offset = 1_000_000;
    while (progress.canRemember(offset)) {
      progress.redriven(offset);
      offset += 2;
    }

    // Then the metadata stays under Kafka's default limit
    assertThat(progress.metadata().length()).isLessThanOrEqualTo(RedriveProgress.MAX_METADATA_CHARS);
    assertThat(RedriveProgress.parse(0, progress.metadata()).metadata()).isEqualTo(progress.metadata());
  }

  @Test
  void shouldRejectMetadataItDidNotWrite() {
    assertThatThrownBy(() -> RedriveProgress.parse(0, "something else"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedriveProgress.parse(0, "redriven=1-x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
