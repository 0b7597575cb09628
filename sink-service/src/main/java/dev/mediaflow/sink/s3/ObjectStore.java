package dev.mediaflow.sink.s3;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * Media objects in one S3 bucket.
 *
 * <p>{@link #put} is idempotent: writing the same bytes under the same key again leaves the same
 * object. Every object carries its SHA-256 as user metadata {@value #SHA256_METADATA} (lower-case
 * hex), and is sent with {@code x-amz-checksum-sha256} so the store rejects an upload whose bytes
 * do not match (checked against S3Proxy: HTTP 400, nothing stored).
 *
 * <p>Methods throw {@link ObjectStoreException} for every failure of the store or the network
 * (including errors the SDK itself does not wrap, see {@link #put}), with the SDK's exception as
 * cause: {@link dev.mediaflow.sink.StoreFailure#classify} reads the store's answer (status, error
 * code) from it to tell a refusal of the object (dead-letter) from an outage (retry).
 */
public final class ObjectStore {

  /** User metadata name of the object's SHA-256; sent as header {@code x-amz-meta-sha256}. */
  public static final String SHA256_METADATA = "sha256";

  private static final Logger LOG = LoggerFactory.getLogger(ObjectStore.class);

  private final S3Client s3;
  private final String bucket;

  /** A store over {@code bucket}; the caller owns and closes {@code s3}. */
  public ObjectStore(S3Client s3, String bucket) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.bucket = Objects.requireNonNull(bucket, "bucket");
  }

  /** The bucket this store writes to. */
  public String bucket() {
    return bucket;
  }

  /** Creates the bucket unless it exists already. Safe to call from several instances at once. */
  public void ensureBucket() {
    try {
      s3.headBucket(b -> b.bucket(bucket));
    } catch (NoSuchBucketException missing) {
      create();
    } catch (RuntimeException e) {
      throw new ObjectStoreException("cannot check bucket " + bucket, e);
    }
  }

  /**
   * Stores {@code data} under {@code key}, replacing what was there; returns once the store has
   * acknowledged the object.
   *
   * @throws ObjectStoreException on any failure. SDK 2.31's URL-connection client lets some I/O
   *     errors (e.g. a keep-alive connection the server closed) escape as a bare
   *     {@code UncheckedIOException} without retrying them (aws-sdk-java-v2 #3539, #7347), so
   *     every runtime exception of the client is wrapped, not only {@code SdkException}.
   */
  public void put(String key, byte[] data, String contentType) {
    put(key, data, contentType, sha256(data));
  }

  /** As {@link #put(String, byte[], String)}, with the SHA-256 of {@code data} already computed by the caller. */
  public void put(String key, byte[] data, String contentType, byte[] digest) {
    put(key, ByteBuffer.wrap(data), contentType, digest);
  }

  /**
   * As {@link #put(String, byte[], String)}, for the bytes remaining in {@code data} (left
   * untouched: its position does not move) with their SHA-256 already computed by the caller.
   * The body is streamed from the buffer itself, not copied first (the SDK's
   * {@code RequestBody.fromBytes} copies every body); the caller must not change those bytes
   * until this returns.
   */
  public void put(String key, ByteBuffer data, String contentType, byte[] digest) {
    String sha256Hex = HexFormat.of().formatHex(digest);
    ByteBuffer body = data.duplicate();
    int length = body.remaining();
    RequestBody requestBody = body.hasArray()
        ? RequestBody.fromContentProvider(
            () -> new ByteArrayInputStream(body.array(), body.arrayOffset() + body.position(), length),
            length, contentType)
        : RequestBody.fromRemainingByteBuffer(body);
    try {
      s3.putObject(b -> b.bucket(bucket)
              .key(key)
              .contentType(contentType)
              .contentLength((long) length)
              .metadata(Map.of(SHA256_METADATA, sha256Hex))
              .checksumSHA256(Base64.getEncoder().encodeToString(digest)),
          requestBody);
    } catch (RuntimeException e) {
      throw new ObjectStoreException("cannot put s3://" + bucket + "/" + key, e);
    }
  }

  /**
   * Deletes {@code key}; deleting an absent key succeeds (S3's rule).
   *
   * @throws ObjectStoreException on any failure
   */
  public void delete(String key) {
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(key));
    } catch (RuntimeException e) {
      throw new ObjectStoreException("cannot delete s3://" + bucket + "/" + key, e);
    }
  }

  private void create() {
    try {
      s3.createBucket(b -> b.bucket(bucket));
      LOG.info("Created bucket {}", bucket);
    } catch (BucketAlreadyOwnedByYouException raced) {
      // another instance created it first: that is what we wanted
    } catch (RuntimeException e) {
      throw new ObjectStoreException("cannot create bucket " + bucket, e);
    }
  }

  /** The SHA-256 digest of {@code data}. */
  public static byte[] sha256(byte[] data) {
    return sha256(ByteBuffer.wrap(data));
  }

  /** The SHA-256 digest of the bytes remaining in {@code data}, read in place (its position does not move). */
  public static byte[] sha256(ByteBuffer data) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(data.duplicate());
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }
}
