package dev.mediaflow.sink.s3;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/** Builds the {@link S3Client} the sink uses, from {@link S3Settings}. */
public final class S3ClientFactory {

  private S3ClientFactory() {
  }

  /**
   * A synchronous client on the JDK's URL connection (no extra HTTP stack), with the endpoint
   * override, path-style flag, region and credentials of {@code settings}. The caller closes it.
   *
   * <p>Every body's integrity is already covered by the SHA-256 {@link ObjectStore} computes once
   * and sends as {@code x-amz-checksum-sha256} (a signed header the store verifies), so the SDK
   * is kept from hashing each body again: no checksum of its own on a request unless the
   * operation requires one (since 2.30 it adds a CRC32 to every upload by default), and no
   * aws-chunked encoding, which over a plain-HTTP endpoint re-signs every 128 KiB chunk and
   * copies the body chunk by chunk. The payload is then signed in one SHA-256 pass (HTTP) or
   * not at all (HTTPS), as for any other request. Responses keep the SDK's default validation:
   * the query service reads objects through this client too, and a GET has no hash of ours.
   */
  public static S3Client create(S3Settings settings) {
    S3ClientBuilder builder = S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(settings.timeout())
            .socketTimeout(settings.timeout()))
        .region(Region.of(settings.region()))
        .credentialsProvider(credentials(settings))
        .forcePathStyle(settings.pathStyleAccess())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build());
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
    }
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(S3Settings settings) {
    if (settings.accessKey() == null) {
      return DefaultCredentialsProvider.builder().build();
    }
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
  }
}
