package dev.mediaflow.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** One in-process server and one client for the class; each test uses its own bucket. */
class S3ServerIT {

    @TempDir
    static Path dataDir;

    private static S3Server server;
    private static S3Client s3;

    @BeforeAll
    static void startServer() {
        server = S3Server.start(dataDir);
        s3 = S3Client.builder()
                .endpointOverride(server.endpoint())
                .forcePathStyle(true)
                .region(Region.of(server.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
                // fail fast while the server is down instead of retrying for seconds
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @AfterAll
    static void stopServer() {
        if (s3 != null) {
            s3.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldKeepAnObjectAcrossAStopAndRestart() {
        // Given an object in a new bucket
        String bucket = newBucket();
        byte[] content = randomBytes(1024 * 1024);
        s3.putObject(b -> b.bucket(bucket).key("media/item-1.bin").contentType("application/octet-stream"),
                RequestBody.fromBytes(content));
        assertObject(bucket, content);

        // When the server is stopped (requests fail) and started again
        server.stop();
        assertThat(server.isRunning()).isFalse();
        assertThatThrownBy(() -> s3.headBucket(b -> b.bucket(bucket))).isInstanceOf(SdkClientException.class);
        server.restart();

        // Then it answers on the same endpoint with the object intact
        assertObject(bucket, content);
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("media/item-1.bin"));
        assertThat(head.contentLength()).isEqualTo(content.length);
        assertThat(head.contentType()).isEqualTo("application/octet-stream");
    }

    @Test
    void shouldStoreAnObjectAsLargeAsTheBiggestKafkaRecord() {
        // Given a bucket
        String bucket = newBucket();
        byte[] content = randomBytes(KafkaBroker.DEFAULT_MAX_RECORD_BYTES);

        // When a 64 MiB object is put in one request
        s3.putObject(b -> b.bucket(bucket).key("big.bin"), RequestBody.fromBytes(content));

        // Then it reads back whole
        assertObject(bucket, "big.bin", content);
    }

    @Test
    void shouldRejectWrongCredentials() {
        // Given a client with a wrong secret
        try (S3Client intruder = S3Client.builder()
                .endpointOverride(server.endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3Server.ACCESS_KEY, "wrong")))
                .build()) {

            // When it lists buckets
            // Then the server refuses
            assertThatThrownBy(intruder::listBuckets).isInstanceOfSatisfying(S3Exception.class,
                    e -> assertThat(e.statusCode()).isEqualTo(403));
        }
    }

    private static String newBucket() {
        String bucket = "b-" + UUID.randomUUID();
        s3.createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    private static void assertObject(String bucket, byte[] expected) {
        assertObject(bucket, "media/item-1.bin", expected);
    }

    private static void assertObject(String bucket, String key, byte[] expected) {
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray()).isEqualTo(expected);
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
