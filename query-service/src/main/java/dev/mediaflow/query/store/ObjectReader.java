package dev.mediaflow.query.store;

import dev.mediaflow.sink.s3.S3ClientFactory;
import dev.mediaflow.sink.s3.S3Settings;
import java.io.InputStream;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Reads the objects the sink stored: their size, ETag and type, their bytes or a byte range. */
public final class ObjectReader implements AutoCloseable {
  private final S3Client s3;
  private final String bucket;

  public ObjectReader(S3Settings settings, String bucket) {
    this.s3 = S3ClientFactory.create(settings);
    this.bucket = bucket;
  }

  /**
   * What S3 holds under {@code key}, or empty when there is no such object.
   *
   * @param etag as S3 gives it (quoted)
   */
  public record Head(String key, long size, String etag, String contentType) {}

  public Optional<Head> head(String key) {
    try {
      HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
      return Optional.of(new Head(key, head.contentLength(), head.eTag(), head.contentType()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw unavailable(key, e);
    } catch (SdkException e) {
      throw unavailable(key, e);
    }
  }

  /** The bytes {@code first..last} (inclusive) of the object; the caller closes the stream. */
  public InputStream open(String key, long first, long last) {
    GetObjectRequest request = GetObjectRequest.builder().bucket(bucket).key(key)
        .range("bytes=" + first + "-" + last).build();
    try {
      return s3.getObject(request);
    } catch (SdkException e) {
      throw unavailable(key, e);
    }
  }

  /** The whole object, in memory (thumbnails, scenes: objects the service decodes). */
  public byte[] readAll(String key) {
    try {
      return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    } catch (SdkException e) {
      throw unavailable(key, e);
    }
  }

  private static StoreUnavailableException unavailable(String key, Exception e) {
    return new StoreUnavailableException("cannot read object " + key + " from S3: " + e.getMessage(), e);
  }

  @Override
  public void close() {
    s3.close();
  }
}
