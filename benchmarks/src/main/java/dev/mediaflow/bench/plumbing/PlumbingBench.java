package dev.mediaflow.bench.plumbing;

import com.sun.net.httpserver.HttpServer;
import dev.mediaflow.infra.S3Server;
import dev.mediaflow.schemas.avro.MediaIdentity;
import dev.mediaflow.schemas.avro.MediaObject;
import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.schemas.serde.ConfluentAvroSerde;
import dev.mediaflow.schemas.serde.SchemaRegistryClient;
import dev.mediaflow.sink.s3.ObjectStore;
import dev.mediaflow.sink.s3.S3ClientFactory;
import dev.mediaflow.sink.s3.S3Settings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * CPU per operation of two pieces of pipeline plumbing (issue 13), the code before and after
 * side by side in one JVM, rounds alternating, so a loaded machine slows both alike:
 *
 * <ul>
 *   <li><b>sink PUT</b>: one object to S3 (S3Proxy in process) as the sink stores it. Before: the
 *       object copied out of its Avro buffer, hashed, {@code RequestBody.fromBytes} (another copy),
 *       the SDK's default client (CRC32 of every body since 2.30, aws-chunked encoding that signs
 *       every 128 KiB chunk over plain HTTP). After: {@link S3ClientFactory} and
 *       {@link ObjectStore#put(String, ByteBuffer, String, byte[])} as the sink now does.</li>
 *   <li><b>Avro serialize</b>: one processed event carrying one encoded object, in the Confluent
 *       wire format. Before: the output buffer grown by doubling from 256 bytes; after:
 *       {@link ConfluentAvroSerde#serialize} (sized once). Outputs are checked byte-identical.</li>
 * </ul>
 *
 * <p>Figures are CPU time of the calling thread (ThreadMXBean), which waiting for other
 * processes does not inflate, and for the PUT also the whole process's CPU (it includes the
 * S3Proxy endpoint's threads). {@code PlumbingBench [rounds=7] [sizes=65536,1048576,8388608]}.
 */
public final class PlumbingBench {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private static int retries;

  private PlumbingBench() {
  }

  public static void main(String[] args) throws Exception {
    int rounds = 7;
    int[] sizes = {64 * 1024, 1024 * 1024, 8 * 1024 * 1024};
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      switch (kv[0]) {
        case "rounds" -> rounds = Integer.parseInt(kv[1]);
        case "sizes" -> sizes = Arrays.stream(kv[1].split(",")).mapToInt(Integer::parseInt).toArray();
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    System.out.printf(Locale.ROOT, "machine: %d cores, load average %s%n", Runtime.getRuntime().availableProcessors(),
        Files.readString(Path.of("/proc/loadavg")).trim());
    List<String> table = new ArrayList<>();
    table.add("| operation | object | before: thread CPU ms/op | after | after/before | before: process CPU ms/op"
        + " (incl. S3Proxy) | after |");
    table.add("|---|---|---|---|---|---|---|");
    Path dir = Files.createTempDirectory("plumbing-bench");
    try (S3Server s3 = S3Server.start(dir.resolve("s3"))) {
      S3Settings settings = S3Settings.of(s3.endpoint(), s3.region(), s3.accessKey(), s3.secretKey());
      try (S3Client before = previousClient(settings); S3Client after = S3ClientFactory.create(settings)) {
        ObjectStore newStore = new ObjectStore(after, "bench");
        newStore.ensureBucket();
        for (int size : sizes) {
          ByteBuffer object = avroLikeBuffer(size);
          int ops = Math.max(3, (int) Math.min(200, 64L * 1024 * 1024 / size));
          Sample b = new Sample();
          Sample a = new Sample();
          for (int r = 0; r < rounds + 1; r++) {
            boolean warm = r == 0;
            measure(warm ? null : b, ops, i -> previousPut(before, "bench", "old/" + i, object));
            measure(warm ? null : a, ops, i -> newStore.put("new/" + i, object, "application/octet-stream",
                ObjectStore.sha256(object)));
          }
          table.add(String.format(Locale.ROOT, "| sink PUT | %s | %.3f | %.3f | %.2f | %.3f | %.3f |", human(size),
              b.thread(), a.thread(), a.thread() / b.thread(), b.process(), a.process()));
          System.out.println(table.get(table.size() - 1));
        }
      }
    }
    try (StubRegistry registry = StubRegistry.start()) {
      ConfluentAvroSerde<ProcessedMedia> serde =
          new ConfluentAvroSerde<>(new SchemaRegistryClient(registry.url()), ProcessedMedia.getClassSchema(), false);
      for (int size : sizes) {
        ProcessedMedia event = event(size);
        byte[] expected = previousSerialize(event, 1);
        if (!Arrays.equals(expected, serde.serialize("processed", event))) {
          throw new IllegalStateException("serialized bytes differ at " + size + " bytes");
        }
        int ops = Math.max(5, (int) Math.min(2000, 256L * 1024 * 1024 / size));
        Sample b = new Sample();
        Sample a = new Sample();
        for (int r = 0; r < rounds + 1; r++) {
          boolean warm = r == 0;
          measure(warm ? null : b, ops, i -> previousSerialize(event, 1));
          measure(warm ? null : a, ops, i -> serde.serialize("processed", event));
        }
        table.add(String.format(Locale.ROOT, "| Avro serialize (processed event) | %s | %.3f | %.3f | %.2f | %.3f | %.3f |",
            human(size), b.thread(), a.thread(), a.thread() / b.thread(), b.process(), a.process()));
        System.out.println(table.get(table.size() - 1));
      }
    }
    System.out.printf(Locale.ROOT, "%nmedian of %d alternating rounds; %d PUTs retried once; load average after: %s%n%n",
        rounds, retries, Files.readString(Path.of("/proc/loadavg")).trim());
    table.forEach(System.out::println);
  }

  // ---- the code as it was before issue 13's plumbing changes, kept here to compare against

  /** The sink's S3 client before: the SDK's defaults for checksums and chunked encoding. */
  private static S3Client previousClient(S3Settings settings) {
    return S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(settings.timeout())
            .socketTimeout(settings.timeout()))
        .region(Region.of(settings.region()))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())))
        .forcePathStyle(true)
        .endpointOverride(settings.endpoint())
        .build();
  }

  /** MediaSink + ObjectStore.put before: copy out of the buffer, hash, fromBytes (copies again). */
  private static void previousPut(S3Client s3, String bucket, String key, ByteBuffer buffer) {
    ByteBuffer view = buffer.duplicate();
    byte[] data = new byte[view.remaining()];
    view.get(data);
    byte[] digest = ObjectStore.sha256(data);
    String hex = HexFormat.of().formatHex(digest);
    s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/octet-stream")
            .contentLength((long) data.length).metadata(Map.of(ObjectStore.SHA256_METADATA, hex))
            .checksumSHA256(Base64.getEncoder().encodeToString(digest)),
        RequestBody.fromBytes(data));
  }

  /** ConfluentAvroSerde.serialize before: a 256-byte buffer grown by doubling. */
  private static byte[] previousSerialize(ProcessedMedia event, int id) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      out.write(0);
      out.write(ByteBuffer.allocate(4).putInt(id).array(), 0, 4);
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      new SpecificDatumWriter<ProcessedMedia>(ProcessedMedia.getClassSchema()).write(event, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- inputs and timing

  /** Pseudo-random bytes (an encoded file compresses no further) inside a larger buffer, as Avro decodes them. */
  private static ByteBuffer avroLikeBuffer(int size) {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    return ByteBuffer.wrap(data);
  }

  private static ProcessedMedia event(int size) {
    return ProcessedMedia.newBuilder()
        .setIdentity(MediaIdentity.newBuilder().setProject("bench").setRun("run-1").setKey("samples")
            .setStep(42).setIndex(0).build())
        .setTimestamp(Instant.parse("2026-12-02T10:00:00Z"))
        .setProducerId("bench")
        .setMediaType("image")
        .setObjects(List.of(MediaObject.newBuilder().setRole("image").setExtension("png")
            .setContentType("image/png").setData(avroLikeBuffer(size)).build()))
        .setWarnings(List.of())
        .setMetadataJson("{\"width\": 512, \"height\": 512}")
        .build();
  }

  private interface Op {
    void run(int i) throws Exception;
  }

  private static void measure(Sample into, int ops, Op op) throws Exception {
    long thread0 = THREADS.getCurrentThreadCpuTime();
    long process0 = OS.getProcessCpuTime();
    for (int i = 0; i < ops; i++) {
      try {
        op.run(i);
      } catch (java.io.UncheckedIOException | dev.mediaflow.sink.s3.ObjectStoreException e) {
        // the URL-connection client does not retry a keep-alive connection the server closed
        // (see ObjectStore#put); the sink retries such a PUT, so does the bench (counted)
        retries++;
        op.run(i);
      }
    }
    if (into != null) {
      into.add((THREADS.getCurrentThreadCpuTime() - thread0) / 1e6 / ops, (OS.getProcessCpuTime() - process0) / 1e6 / ops);
    }
  }

  private static String human(int size) {
    return size >= 1024 * 1024 ? size / (1024 * 1024) + " MiB" : size / 1024 + " KiB";
  }

  private static final class Sample {
    private final List<Double> thread = new ArrayList<>();
    private final List<Double> process = new ArrayList<>();

    void add(double threadMs, double processMs) {
      thread.add(threadMs);
      process.add(processMs);
    }

    double thread() {
      return median(thread);
    }

    double process() {
      return median(process);
    }

    private static double median(List<Double> values) {
      double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return sorted[sorted.length / 2];
    }
  }

  /** A schema registry that answers every registration with id 1 (the serializer asks once per topic). */
  private static final class StubRegistry implements AutoCloseable {
    private final HttpServer server;

    private StubRegistry(HttpServer server) {
      this.server = server;
    }

    static StubRegistry start() throws IOException {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", exchange -> {
        byte[] body = "{\"id\":1}".getBytes(StandardCharsets.UTF_8);
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      server.start();
      return new StubRegistry(server);
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
