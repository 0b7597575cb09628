package dev.mediaflow.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReceivedItemsTest {
  @Test
  void shouldFindEachItemsTextAsSentByKeyAndListPosition() {
    // Given a call with a list, a single item, a scalar in a list and a repeated key
    String log = "{\"timestamp\": 17, \"first_index\": 3, \"data\": {\"a\": [ {\"x\" :1} , 0.5, [1,2] ],"
        + " \"b\": {\"y\": [ 2 ]}, \"c\": {\"old\": 1}, \"c\": {\"new\": 2}}, \"step\": 1}";

    // When
    ReceivedItems items = ReceivedItems.of(log);

    // Then
    assertThat(items.item("a", 0)).isEqualTo("{\"x\" :1}");
    assertThat(items.item("a", 1)).as("a scalar has no span").isNull();
    assertThat(items.item("a", 2)).isEqualTo("[1,2]");
    assertThat(items.item("b", 0)).isEqualTo("{\"y\": [ 2 ]}");
    assertThat(items.item("c", 0)).as("the last of a repeated key, as the parsed tree keeps").isEqualTo("{\"new\": 2}");
    assertThat(items.item("a", 3)).isNull();
    assertThat(items.item("zzz", 0)).isNull();
    assertThat(items.timestamp()).isEqualTo("17");
    assertThat(items.firstIndex()).isEqualTo(3);
  }

  @Test
  void shouldYieldNothingForTextItCannotRead() {
    ReceivedItems items = ReceivedItems.of("{\"data\": {\"a\": {\"x\": ");
    assertThat(items.item("a", 0)).isNull();
    assertThat(items.firstIndex()).isZero();
  }
}
