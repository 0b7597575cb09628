package dev.mediaflow.bench.edge;

import dev.mediaflow.ingest.npy.NpyWriter;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The log calls of the edge load test, as multipart/form-data bodies in the shape
 * {@code LogCallRequest} writes (a {@code log} JSON part, then one {@code .npy} part per image).
 * Unlike {@code LogCallRequest}, which buffers and copies a whole body per call, the array parts
 * here are built once per size and shared by every call (only the small log part, with its step,
 * is new per call), and the 200 MB upload is generated while it is sent: the client holds
 * neither in memory more than once.
 *
 * <ul>
 *   <li>{@link Size#SMALL}: one uint8 32×32 image;</li>
 *   <li>{@link Size#MEDIUM}: 8 uint8 224×224×3 images;</li>
 *   <li>{@link Size#LARGE}: one uint8 2048×2048×4 image (a 16 MiB .npy);</li>
 *   <li>{@link #upload}: one uint8 8192×8192×3 image (201 MB), streamed.</li>
 * </ul>
 */
final class EdgeCalls {
  /** Call sizes of the good clients. */
  enum Size { SMALL, MEDIUM, LARGE }

  private static final String BOUNDARY = "mediaflow-edge-bench";
  private static final long[] UPLOAD_SHAPE = {8192, 8192, 3};

  private final String baseUrl;
  private final String project;
  private final String apiKey;
  private final byte[][] partsOf = new byte[Size.values().length][];
  private final int[] imagesOf = {1, 8, 1};

  EdgeCalls(String baseUrl, String project, String apiKey) {
    this.baseUrl = baseUrl;
    this.project = project;
    this.apiKey = apiKey;
    SplittableRandom random = new SplittableRandom(20261202);
    partsOf[Size.SMALL.ordinal()] = parts(1, new long[] {32, 32}, random);
    partsOf[Size.MEDIUM.ordinal()] = parts(8, new long[] {224, 224, 3}, random);
    partsOf[Size.LARGE.ordinal()] = parts(1, new long[] {2048, 2048, 4}, random);
  }

  /** The size of call number {@code n} of a client: 1 in 10 large, 3 in 10 medium, the rest small. */
  static Size sizeOf(long n) {
    int slot = (int) (n % 10);
    return slot == 0 ? Size.LARGE : slot <= 3 ? Size.MEDIUM : Size.SMALL;
  }

  /** Bytes of a call's body of this size (for MB/s). */
  long bodyBytes(Size size) {
    return logPart(size, 0).length + partsOf[size.ordinal()].length;
  }

  /** One good client's call: run {@code run}, step {@code step}. */
  HttpRequest call(String run, long step, Size size, Duration timeout) {
    return request(run, timeout)
        .POST(BodyPublishers.concat(BodyPublishers.ofByteArray(logPart(size, step)),
            BodyPublishers.ofByteArray(partsOf[size.ordinal()])))
        .build();
  }

  /** One 201 MB image, generated while it is sent (the body has a Content-Length). */
  HttpRequest upload(String run, long step, Duration timeout) {
    byte[] head = concat(logPart("{\"step\": " + step + ", \"data\": {\"huge\": " + image("u0") + "}}"),
        partHead("u0"), NpyWriter.write("uint8", UPLOAD_SHAPE, new byte[0]));
    byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    long data = UPLOAD_SHAPE[0] * UPLOAD_SHAPE[1] * UPLOAD_SHAPE[2];
    long length = head.length + data + tail.length;
    return request(run, timeout)
        .POST(BodyPublishers.fromPublisher(
            BodyPublishers.ofInputStream(() -> new GeneratedBody(head, data, tail)), length))
        .build();
  }

  /** Bytes of one upload. */
  static long uploadBytes() {
    return UPLOAD_SHAPE[0] * UPLOAD_SHAPE[1] * UPLOAD_SHAPE[2];
  }

  /** The request line and headers a stalled client sends before going silent. */
  String stalledHead(String run, long contentLength) {
    URI uri = logUri(run);
    return "POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
        + "\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\nContent-Length: " + contentLength
        + (apiKey == null ? "" : "\r\nAuthorization: Bearer " + apiKey) + "\r\n\r\n";
  }

  URI logUri(String run) {
    return URI.create(baseUrl + "/v1/projects/" + project + "/runs/" + run + "/log");
  }

  private HttpRequest.Builder request(String run, Duration timeout) {
    HttpRequest.Builder b = HttpRequest.newBuilder(logUri(run)).timeout(timeout)
        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
    if (apiKey != null) {
      b.header("Authorization", "Bearer " + apiKey);
    }
    return b;
  }

  private byte[] logPart(Size size, long step) {
    StringBuilder items = new StringBuilder();
    for (int i = 0; i < imagesOf[size.ordinal()]; i++) {
      items.append(i == 0 ? "" : ", ").append(image("p" + i));
    }
    return logPart("{\"step\": " + step + ", \"data\": {\"" + size.name().toLowerCase(java.util.Locale.ROOT)
        + "\": [" + items + "]}}");
  }

  private static byte[] logPart(String json) {
    return concat(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"log\"; filename=\"log.json\"\r\n"
        + "Content-Type: application/json\r\n\r\n" + json + "\r\n").getBytes(StandardCharsets.UTF_8));
  }

  private static String image(String part) {
    return "{\"_type\": \"image\", \"array\": \"" + part + "\"}";
  }

  private static byte[] partHead(String name) {
    return ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + name
        + ".npy\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** The array parts p0..p{n-1} and the closing boundary. */
  private static byte[] parts(int n, long[] shape, SplittableRandom random) {
    long elements = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < n; i++) {
      byte[] pixels = new byte[(int) elements];
      random.nextBytes(pixels);
      out.writeBytes(partHead("p" + i));
      out.writeBytes(NpyWriter.write("uint8", shape, pixels));
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... pieces) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : pieces) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** head, then {@code dataBytes} bytes repeating one random 64 KiB block, then tail. */
  static final class GeneratedBody extends InputStream {
    private static final byte[] BLOCK = new byte[64 * 1024];

    static {
      new SplittableRandom(7).nextBytes(BLOCK);
    }

    private final byte[] head;
    private final long dataBytes;
    private final byte[] tail;
    private long position;

    GeneratedBody(byte[] head, long dataBytes, byte[] tail) {
      this.head = head;
      this.dataBytes = dataBytes;
      this.tail = tail;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      long dataEnd = head.length + dataBytes;
      if (position >= dataEnd + tail.length) {
        return -1;
      }
      int n;
      if (position < head.length) {
        n = Math.min(len, head.length - (int) position);
        System.arraycopy(head, (int) position, b, off, n);
      } else if (position < dataEnd) {
        int inBlock = (int) ((position - head.length) % BLOCK.length);
        n = (int) Math.min(Math.min(len, BLOCK.length - inBlock), dataEnd - position);
        System.arraycopy(BLOCK, inBlock, b, off, n);
      } else {
        n = Math.min(len, tail.length - (int) (position - dataEnd));
        System.arraycopy(tail, (int) (position - dataEnd), b, off, n);
      }
      position += n;
      return n;
    }
  }
}
