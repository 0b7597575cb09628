package dev.mediaflow.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

  @Test
  void shouldRefuseAReservationThatWouldExceedTheBudgetAndTakeNothingForIt() {
    // Given a 100-byte budget of which one call holds 80
    MemoryBudget budget = new MemoryBudget(100);
    MemoryBudget.Reservation first = budget.open();
    assertThat(first.grow(80)).isTrue();

    // When a second call asks for 30, then for 20
    MemoryBudget.Reservation second = budget.open();
    boolean thirty = second.grow(30);
    boolean twenty = second.grow(20);

    // Then 30 is refused with nothing taken, 20 fits exactly
    assertThat(thirty).isFalse();
    assertThat(twenty).isTrue();
    assertThat(budget.used()).isEqualTo(100);
  }

  @Test
  void shouldGiveBackEverythingACallHeldOnceEvenWhenClosedTwice() {
    // Given a call that grew its reservation chunk by chunk (a chunked body)
    MemoryBudget budget = new MemoryBudget(1000);
    MemoryBudget.Reservation call = budget.open();
    call.grow(100);
    call.grow(250);

    // When it is closed twice (refused, then its parts closed)
    call.close();
    call.close();

    // Then the budget is whole again, not more
    assertThat(budget.used()).isZero();
    assertThat(budget.open().grow(1000)).isTrue();
  }
}
