package dev.mediaflow.sink.s3;

import dev.mediaflow.infra.S3Server;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** A real S3 endpoint (S3Proxy on disk) plus a client for it; for integration tests. */
public final class LocalS3 implements AutoCloseable {

  private final S3Server server;
  private final S3Client client;

  private LocalS3(S3Server server) {
    this.server = server;
    this.client = S3ClientFactory.create(S3Settings.of(
        server.endpoint(), server.region(), server.accessKey(), server.secretKey()));
  }

  public static LocalS3 start(Path dataDir) {
    return new LocalS3(S3Server.start(dataDir));
  }

  public S3Server server() {
    return server;
  }

  public S3Client client() {
    return client;
  }

  public byte[] read(String bucket, String key) {
    return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }

  public List<String> keys(String bucket) {
    return client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
  }

  @Override
  public void close() {
    client.close();
    server.stop();
  }
}
