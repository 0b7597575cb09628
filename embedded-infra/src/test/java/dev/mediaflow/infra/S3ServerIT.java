package dev.mediaflow.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
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
import software.amazon.awssdk.services.s3.model.S3Object;

/** One in-process server and one client for the class; each test uses its own bucket. */
class S3ServerIT {

    private static final int MIB = 1024 * 1024;

    @TempDir
    static Path dataDir;

    private static S3Server server;
    private static S3Client s3;

    @BeforeAll
    static void startServer() {
        server = S3Server.start(dataDir);
        s3 = client(server.endpoint());
    }

    /** Restarts the server with a new client: the old client's pooled connections died with the old server. */
    private static void restartServer() {
        server.restart();
        s3.close();
        s3 = client(server.endpoint());
    }

    private static S3Client client(URI endpoint) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.of(S3Server.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)))
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
        restartServer();

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

    @Test
    void shouldLeaveNothingListedWhenAClientCutsAnUploadMidRequest() throws Exception {
        // Given a bucket holding one stored object
        String bucket = newBucket();
        s3.putObject(b -> b.bucket(bucket).key("media/stored.png"), RequestBody.fromBytes(randomBytes(1024)));
        Path bucketDir = dataDir.resolve("blobs").resolve(bucket);

        // When a PUT announcing 1 MiB is cut after 64 KiB, once its bytes are on disk
        try (CutUpload upload = CutUpload.start(server.port(), bucket, "media/cut/2.png", MIB, 64 * 1024)) {
            await("the cut upload's temporary file", () -> !unfinishedUploads(bucketDir).isEmpty());
        }

        // Then the server drops the partial file, and the listing shows the stored object only
        await("the temporary file removed", () -> unfinishedUploads(bucketDir).isEmpty());
        assertThat(keys(s3, bucket)).containsExactly("media/stored.png");
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(bucket).key("media/cut/2.png")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    }

    @Test
    void shouldKeepAStoredObjectWhoseKeyLooksLikeAnUnfinishedUpload() {
        // Given a complete object whose key ends like S3Proxy's temporary files
        String bucket = newBucket();
        String key = "media/report.png-" + UUID.randomUUID();
        byte[] content = randomBytes(2048);
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));

        // When the server starts again (and sweeps unfinished uploads)
        restartServer();

        // Then the object is still there: only files without S3Proxy's completion mark are swept
        assertObject(bucket, key, content);
    }

    @Test
    void shouldListOnlyStoredObjectsAfterACrashCutAnUpload(@TempDir Path crashDir) throws Exception {
        // Given an endpoint in a JVM of its own, holding one stored object, and an upload in flight
        int port = FreePort.find();
        ChildProcess child = launchServerProcess(crashDir, port);
        Path bucketDir = crashDir.resolve("blobs").resolve("crash");
        try (S3Client remote = client(URI.create("http://" + FreePort.LOOPBACK_HOST + ":" + port))) {
            remote.createBucket(b -> b.bucket("crash"));
            remote.putObject(b -> b.bucket("crash").key("media/stored.png"), RequestBody.fromBytes(randomBytes(1024)));
            try (CutUpload upload = CutUpload.start(port, "crash", "media/p/r/2.png", MIB, 64 * 1024)) {
                await("the upload's temporary file", () -> !unfinishedUploads(bucketDir).isEmpty());

                // When that JVM is killed with kill -9 in the middle of the upload
                child.kill();
            }
        }
        List<Path> leftOver = unfinishedUploads(bucketDir);
        assertThat(leftOver).as("what the crash left (the case to clean up)").hasSize(1);

        // Then the next start on the same data removes it: the listing shows stored objects only
        long begin = System.nanoTime();
        try (S3Server restarted = S3Server.start(crashDir, port); S3Client client = client(restarted.endpoint())) {
            long startMillis = (System.nanoTime() - begin) / 1_000_000;
            assertThat(keys(client, "crash")).containsExactly("media/stored.png");
            assertThat(unfinishedUploads(bucketDir)).isEmpty();
            assertThat(bucketDir.resolve("media/p")).doesNotExist();
            System.out.printf("[figures] S3 crash mid-upload: %d leftover temp file (%s, %d bytes) removed at restart,"
                    + " start took %d ms, listing = 1 stored object%n", leftOver.size(), leftOver.get(0).getFileName(),
                    64 * 1024, startMillis);
        }
    }

    private static ChildProcess launchServerProcess(Path dir, int port) throws Exception {
        Path argFile = dir.resolve("classpath.args");
        String classpath = JvmClasspath.forChildRunning(S3ServerMain.class.getName());
        Files.writeString(argFile, "-cp \"" + classpath.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n");
        ChildProcess child = ChildProcess.launch("s3-crash", List.of(ChildProcess.javaExecutable(), "-Xmx256m",
                "@" + argFile, S3ServerMain.class.getName(), dir.toString(), Integer.toString(port)), Map.of(),
                dir.resolve("s3.log"), null);
        try {
            await("the S3 process listening", () -> {
                assertThat(child.isAlive()).as("S3 process alive; log:%n%s", child.logTail(30)).isTrue();
                return FreePort.isListening(port);
            });
        } catch (AssertionError | RuntimeException e) {
            child.kill();
            throw e;
        }
        return child;
    }

    private static List<Path> unfinishedUploads(Path bucketDir) throws IOException {
        if (!Files.isDirectory(bucketDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(bucketDir)) {
            return files.filter(PartialWrites::isUnfinishedPut).toList();
        }
    }

    private static List<String> keys(S3Client client, String bucket) {
        return client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    }

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 30 s waiting for " + what);
            }
            Thread.sleep(50);
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
