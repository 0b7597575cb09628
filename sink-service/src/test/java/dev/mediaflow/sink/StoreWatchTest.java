package dev.mediaflow.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.runtime.HealthCheck;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class StoreWatchTest {
  private final ProcessedMedia event = TestEvents.image(TestEvents.identity());

  @Test
  void shouldReportWaitingForTheStoreWhileWritesFailAndUpOnceOneSucceeds() {
    // Given a store that refuses writes
    AtomicBoolean storeUp = new AtomicBoolean(false);
    StoreWatch watch = new StoreWatch(e -> {
      if (!storeUp.get()) {
        throw new IllegalStateException("S3 endpoint unreachable");
      }
    });
    assertThat(watch.check().up()).as("before any write").isTrue();

    // When a write fails (the sink loop retries it)
    assertThatThrownBy(() -> watch.write(event)).isInstanceOf(IllegalStateException.class);

    // Then the store check is DOWN with the reason, and UP again after the next successful write
    HealthCheck waiting = watch.check();
    assertThat(waiting.up()).isFalse();
    assertThat(waiting.name()).isEqualTo("store");
    assertThat(waiting.detail()).startsWith("waiting for the object or metadata store for ")
        .contains("S3 endpoint unreachable");
    storeUp.set(true);
    watch.write(event);
    assertThat(watch.check().up()).isTrue();
  }

  @Test
  void shouldNotReportWaitingWhenTheStoreRefusesOneItemForGood() {
    // Given a store that refuses one item permanently (it is dead-lettered, not retried)
    StoreWatch watch = new StoreWatch(e -> {
      throw new UnstorableItemException("object key longer than 1024 bytes");
    });

    // When
    assertThatThrownBy(() -> watch.write(event)).isInstanceOf(UnstorableItemException.class);

    // Then
    assertThat(watch.check().up()).isTrue();
  }
}
