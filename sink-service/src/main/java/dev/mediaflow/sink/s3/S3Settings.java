package dev.mediaflow.sink.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach an S3-compatible store.
 *
 * @param endpoint endpoint override (S3Proxy, MinIO…), or {@code null} for AWS's regional endpoint
 * @param region signing region, e.g. {@code us-east-1} (any value works for most S3-compatible stores)
 * @param accessKey static access key id, or {@code null} (or blank) to use the AWS default
 *     credentials chain
 * @param secretKey static secret key; required with {@code accessKey}; never logged
 * @param pathStyleAccess {@code true} for {@code endpoint/bucket/key} URLs (S3Proxy, MinIO),
 *     {@code false} for virtual-hosted {@code bucket.endpoint/key}
 * @param timeout connect and read timeout of one HTTP request
 */
public record S3Settings(
    URI endpoint, String region, String accessKey, String secretKey, boolean pathStyleAccess, Duration timeout) {

  /** Timeout used by {@link #of}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public S3Settings {
    accessKey = blankToNull(accessKey);
    secretKey = blankToNull(secretKey);
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(timeout, "timeout");
    if ((accessKey == null) != (secretKey == null)) {
      throw new IllegalArgumentException("S3 access key and secret key must be given together");
    }
  }

  /** Settings for an S3-compatible endpoint with static credentials and path-style access. */
  public static S3Settings of(URI endpoint, String region, String accessKey, String secretKey) {
    return new S3Settings(endpoint, region, accessKey, secretKey, true, DEFAULT_TIMEOUT);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  /** Masks the secret key. */
  @Override
  public String toString() {
    return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", accessKey=" + accessKey
        + ", secretKey=" + (secretKey == null ? null : "****") + ", pathStyleAccess=" + pathStyleAccess
        + ", timeout=" + timeout + "]";
  }
}
