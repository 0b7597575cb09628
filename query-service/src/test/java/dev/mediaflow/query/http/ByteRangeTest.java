package dev.mediaflow.query.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

  @Test
  void shouldReadFirstBytes() {
    ByteRange range = ByteRange.parse("bytes=0-99", 1000);
    assertThat(range).isEqualTo(new ByteRange(0, 99));
    assertThat(range.length()).isEqualTo(100);
    assertThat(range.contentRange(1000)).isEqualTo("bytes 0-99/1000");
  }

  @Test
  void shouldReadOpenEndedAndClampLastToTheSize() {
    assertThat(ByteRange.parse("bytes=900-", 1000)).isEqualTo(new ByteRange(900, 999));
    assertThat(ByteRange.parse("bytes=900-5000", 1000)).isEqualTo(new ByteRange(900, 999));
  }

  @Test
  void shouldReadSuffixRangeAsTheLastBytes() {
    assertThat(ByteRange.parse("bytes=-10", 1000)).isEqualTo(new ByteRange(990, 999));
    assertThat(ByteRange.parse("bytes=-5000", 1000)).isEqualTo(new ByteRange(0, 999));
  }

  @Test
  void shouldGiveNullWithoutHeader() {
    assertThat(ByteRange.parse(null, 10)).isNull();
  }

  @Test
  void shouldRefuseRangeBeyondTheObjectWith416() {
    assertThatThrownBy(() -> ByteRange.parse("bytes=1000-", 1000)).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.status()).isEqualTo(416));
    assertThatThrownBy(() -> ByteRange.parse("bytes=-0", 1000)).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.status()).isEqualTo(416));
  }

  @Test
  void shouldRefuseMalformedOrMultipleRangesWith400() {
    for (String header : new String[] {"bytes=a-b", "bytes=0-1,5-6", "items=0-1", "bytes=-", "bytes=9-3"}) {
      assertThatThrownBy(() -> ByteRange.parse(header, 1000)).as(header).isInstanceOfSatisfying(ApiException.class,
          e -> assertThat(e.status()).isEqualTo(400));
    }
  }
}
