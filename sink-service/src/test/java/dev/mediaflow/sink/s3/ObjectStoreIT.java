package dev.mediaflow.sink.s3;

import static dev.mediaflow.sink.TestEvents.identity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mediaflow.sink.ObjectKeys;
import dev.mediaflow.sink.StoreFailure;
import dev.mediaflow.sink.UnstorableItemException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

class ObjectStoreIT {

  private static final String SHA256_OF_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  @TempDir
  static Path dataDir;

  private static LocalS3 s3;

  private ObjectStore store;

  @BeforeAll
  static void startS3() {
    s3 = LocalS3.start(dataDir);
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  @BeforeEach
  void createBucket() {
    store = new ObjectStore(s3.client(), "media-it-" + BUCKETS.incrementAndGet());
    store.ensureBucket();
  }

  @Test
  void shouldAcceptEnsureBucketWhenTheBucketExists() {
    // Given the bucket exists (see setup)

    // When
    store.ensureBucket();
    new ObjectStore(s3.client(), store.bucket()).ensureBucket();

    // Then
    assertThat(s3.client().listBuckets().buckets()).anyMatch(b -> b.name().equals(store.bucket()));
  }

  @Test
  void shouldStoreBytesContentTypeAndSha256Metadata() {
    // Given
    byte[] data = "abc".getBytes(StandardCharsets.US_ASCII);

    // When
    store.put("media/p/r/k/000000000001/0.png", data, "image/png");

    // Then
    ResponseBytes<GetObjectResponse> object =
        s3.client().getObjectAsBytes(b -> b.bucket(store.bucket()).key("media/p/r/k/000000000001/0.png"));
    assertThat(object.asByteArray()).isEqualTo(data);
    assertThat(object.response().contentType()).isEqualTo("image/png");
    assertThat(object.response().metadata()).containsEntry(ObjectStore.SHA256_METADATA, SHA256_OF_ABC);
  }

  @Test
  void shouldLeaveOneIdenticalObjectWhenTheSameBytesArePutTwice() {
    // Given
    byte[] data = randomBytes(5 * 1024 * 1024 + 17);
    store.put("media/p/r/k/000000000001/0.png", data, "image/png");

    // When
    store.put("media/p/r/k/000000000001/0.png", data, "image/png");

    // Then
    assertThat(s3.keys(store.bucket())).containsExactly("media/p/r/k/000000000001/0.png");
    assertThat(s3.read(store.bucket(), "media/p/r/k/000000000001/0.png")).isEqualTo(data);
  }

  @Test
  void shouldStoreExactlyTheRemainingBytesOfABufferViewWithoutMovingIt() {
    // Given a view into the middle of a larger array, its position advanced (as a decoded Avro value may be)
    byte[] backing = randomBytes(3 * 1024 * 1024 + 101);
    ByteBuffer view = ByteBuffer.wrap(backing, 1000, 2 * 1024 * 1024 + 7).slice();
    view.position(13);
    byte[] expected = Arrays.copyOfRange(backing, 1013, 1000 + 2 * 1024 * 1024 + 7);

    // When
    store.put("media/p/r/k/000000000001/view.bin", view, "application/octet-stream", ObjectStore.sha256(view));

    // Then the store holds those bytes, with their SHA-256, and the caller's buffer did not move
    assertThat(s3.read(store.bucket(), "media/p/r/k/000000000001/view.bin")).isEqualTo(expected);
    ResponseBytes<GetObjectResponse> object =
        s3.client().getObjectAsBytes(b -> b.bucket(store.bucket()).key("media/p/r/k/000000000001/view.bin"));
    assertThat(object.response().metadata())
        .containsEntry(ObjectStore.SHA256_METADATA, HexFormat.of().formatHex(ObjectStore.sha256(expected)));
    assertThat(view.position()).isEqualTo(13);
    assertThat(view.remaining()).isEqualTo(expected.length);
  }

  @Test
  void shouldRoundTripKeysBuiltFromHostileNames() {
    // Given
    ObjectKeys keys = new ObjectKeys();
    List<String> hostile = List.of(
        keys.key(identity("../etc", "a/b", "", 1, 0), null, "png"),
        keys.key(identity("日本語 プロジェクト", "my run", "..", 1, 0), null, "png"),
        keys.key(identity(".hidden", "100%", "x?y#z", 1, 0), "thumb nail", "jpg"));

    // When
    for (String key : hostile) {
      store.put(key, key.getBytes(StandardCharsets.UTF_8), "application/octet-stream");
    }

    // Then
    assertThat(s3.keys(store.bucket())).containsExactlyInAnyOrderElementsOf(hostile);
    for (String key : hostile) {
      assertThat(s3.read(store.bucket(), key)).isEqualTo(key.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void shouldThrowWhileTheStoreIsDownAndSucceedOnRetryAfterwards() {
    // Given
    byte[] data = "abc".getBytes(StandardCharsets.US_ASCII);
    s3.server().stop();

    try {
      // When / Then
      assertThatThrownBy(() -> store.put("media/p/r/k/000000000001/0.png", data, "image/png"))
          .isInstanceOf(ObjectStoreException.class)
          .hasMessageContaining("media/p/r/k/000000000001/0.png")
          .satisfies(e -> assertThat(StoreFailure.classify(e).kind()).isEqualTo(StoreFailure.Kind.TRANSIENT));
    } finally {
      s3.server().restart();
    }
    store.put("media/p/r/k/000000000001/0.png", data, "image/png");
    assertThat(s3.read(store.bucket(), "media/p/r/k/000000000001/0.png")).isEqualTo(data);
  }

  @Test
  void shouldBeRefusedForGoodWhenTheBytesDoNotMatchTheirChecksum() {
    // Given bytes sent with the SHA-256 of other bytes
    byte[] data = "abc".getBytes(StandardCharsets.US_ASCII);
    byte[] otherDigest = ObjectStore.sha256("abd".getBytes(StandardCharsets.US_ASCII));

    // When
    Throwable refusal = catchThrowable(() -> store.put("media/p/r/k/000000000001/0.png", data, "image/png", otherDigest));

    // Then the store's 4xx answer makes it a permanent failure, and nothing was stored
    StoreFailure failure = StoreFailure.classify(refusal);
    assertThat(failure.kind()).as(failure.reason()).isEqualTo(StoreFailure.Kind.PERMANENT);
    assertThat(failure.reason()).contains("S3 answered HTTP 400");
    assertThat(s3.keys(store.bucket())).isEmpty();
  }

  @Test
  void shouldAnswerANameTooLongForItsFilesystemWithAServerErrorThatLooksTransient() {
    // Given a key whose second segment is 300 bytes: S3 allows it, S3Proxy's filesystem cannot name it
    String key = "media/" + "a".repeat(300) + "/0.png";

    // When
    Throwable refusal = catchThrowable(() -> store.put(key, new byte[] {1}, "image/png"));

    // Then the store's answer is a 500, or, when S3Proxy answers before the SDK has written the
    // body, a connection cut mid-write: both look transient, and only the sink's own check
    // (ObjectKeys) can tell this item will never fit
    StoreFailure failure = StoreFailure.classify(refusal);
    assertThat(failure.kind()).isEqualTo(StoreFailure.Kind.TRANSIENT);
    assertThat(failure.reason()).containsAnyOf("S3 answered HTTP 500", "Error writing request body");
    assertThatThrownBy(() -> new ObjectKeys().key(identity("a".repeat(300), "r", "k", 1, 0), null, "png"))
        .isInstanceOf(UnstorableItemException.class);
  }

  private static byte[] randomBytes(int size) {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    return data;
  }
}
