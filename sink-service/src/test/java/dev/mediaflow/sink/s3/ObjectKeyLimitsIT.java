package dev.mediaflow.sink.s3;

import static dev.mediaflow.sink.TestEvents.identity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.schemas.identity.ItemIdentity;
import dev.mediaflow.sink.ObjectKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The identity limits against the real filesystem-backed S3 endpoint the embedded stack uses. */
class ObjectKeyLimitsIT {

  @TempDir
  static Path dataDir;

  private static LocalS3 s3;
  private static ObjectStore store;

  @BeforeAll
  static void startS3() {
    s3 = LocalS3.start(dataDir);
    store = new ObjectStore(s3.client(), "limits");
    store.ensureBucket();
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  @Test
  void shouldStoreTheLongestKeyTheIdentityLimitsAllow() {
    // Given every part at its limit: prefix, project, run, a derived key of one full segment,
    // step, index, role and extension, in multi-byte UTF-8 where a user chooses the name
    ObjectKeys keys = new ObjectKeys("p".repeat(ItemIdentity.MAX_PREFIX_BYTES));
    String key = keys.key(identity(fill("é", ItemIdentity.MAX_PROJECT_BYTES), fill("日", ItemIdentity.MAX_RUN_BYTES),
        ItemIdentity.tableCellsKey(fill("😀", ItemIdentity.MAX_KEY_BYTES)), Long.MIN_VALUE, Integer.MIN_VALUE),
        fill("r", ItemIdentity.MAX_ROLE_BYTES), "e".repeat(ItemIdentity.MAX_EXTENSION_BYTES));
    byte[] data = key.getBytes(StandardCharsets.UTF_8);

    // When
    store.put(key, data, "application/octet-stream");

    // Then
    assertThat(data).hasSize(ItemIdentity.STORE_MAX_KEY_BYTES);
    assertThat(s3.read(store.bucket(), key)).isEqualTo(data);
    System.out.println("[figures] identity limits on S3Proxy (filesystem): a " + data.length
        + "-byte key with a 255-byte key segment and a " + ItemIdentity.MAX_FILE_NAME_BYTES + "-byte file name stored");
  }

  @Test
  void shouldNeedTheFileNameReserveForTheStoresTemporaryFile() {
    // Given file names at the limit and one byte above (a directory may have 255 bytes)
    String atLimit = "media/x/" + "f".repeat(ItemIdentity.MAX_FILE_NAME_BYTES);
    String aboveLimit = "media/y/" + "f".repeat(ItemIdentity.MAX_FILE_NAME_BYTES + 1);
    byte[] data = {1};

    // When / Then the store writes <name>-<uuid> first: only the reserved length fits
    store.put(atLimit, data, "application/octet-stream");
    assertThat(s3.read(store.bucket(), atLimit)).isEqualTo(data);
    assertThatThrownBy(() -> store.put(aboveLimit, data, "application/octet-stream"));
    System.out.println("[figures] identity limits on S3Proxy (filesystem): file name of "
        + ItemIdentity.MAX_FILE_NAME_BYTES + " bytes stored, of " + (ItemIdentity.MAX_FILE_NAME_BYTES + 1) + " refused");
  }

  /** As many {@code unit}s as fit in {@code bytes} encoded bytes, then ASCII up to exactly that. */
  private static String fill(String unit, int bytes) {
    StringBuilder name = new StringBuilder();
    while (ItemIdentity.encodedLength(name + unit) <= bytes) {
      name.append(unit);
    }
    while (ItemIdentity.encodedLength(name.toString()) < bytes) {
      name.append('x');
    }
    return name.toString();
  }
}
