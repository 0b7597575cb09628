package dev.mediaflow.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.schemas.avro.MediaIdentity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ItemKeysTest {

  @ParameterizedTest
  @ValueSource(strings = {"plain", "with space", "a/b", "100%", "ü日", "", "x+y"})
  void shouldParseBackTheIdentityAKeyWasMadeFrom(String name) {
    // Given
    MediaIdentity id = MediaIdentity.newBuilder()
        .setProject(name).setRun("run " + name).setKey(name + ".cells").setStep(42).setIndex(7).build();

    // When / Then
    assertThat(ItemKeys.parse(ItemKeys.of(id))).contains(id);
  }

  @ParameterizedTest
  @ValueSource(strings = {"pill/not-avro", "p/r/k/step/0", "p/r/k/1/x", "p/r/k/1/0/extra", "p/%zz/k/1/0"})
  void shouldGiveNothingForAKeyThatIsNotAnItemKey(String key) {
    // When / Then
    assertThat(ItemKeys.parse(key)).isEmpty();
  }
}
