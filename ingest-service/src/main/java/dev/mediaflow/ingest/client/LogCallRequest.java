package dev.mediaflow.ingest.client;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Builds the multipart/form-data request of one log call for the HTTP gateway: the
 * {@code log} JSON part plus named binary parts. Used by the demo, the load generator and
 * tests; training code in other languages sends the same shape.
 */
public final class LogCallRequest {
  private final String boundary = "mediaflow-" + UUID.randomUUID();
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();

  public LogCallRequest(String logJson) {
    part("log", "log.json", "application/json", logJson.getBytes(StandardCharsets.UTF_8));
  }

  /** Adds a binary part; {@code fileName}'s ending gives an encoded file's type. */
  public LogCallRequest part(String name, String fileName, String contentType, byte[] data) {
    String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + quoted(name) + "\"; filename=\""
        + quoted(fileName) + "\"\r\nContent-Type: " + contentType + "\r\n\r\n";
    body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    body.writeBytes(data);
    body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** The POST request to {@code /v1/projects/{project}/runs/{run}/log} of the gateway at {@code baseUrl}. */
  public HttpRequest build(String baseUrl, String project, String run) {
    return build(baseUrl, project, run, "log");
  }

  /**
   * The POST request to the run's summary, {@code /v1/projects/{project}/runs/{run}/summary}
   * (a body without {@code "step"}; see {@code run.summary.update} of the reference).
   */
  public HttpRequest buildSummary(String baseUrl, String project, String run) {
    return build(baseUrl, project, run, "summary");
  }

  private HttpRequest build(String baseUrl, String project, String run, String endpoint) {
    byte[] bytes = body();
    URI uri = URI.create(baseUrl + "/v1/projects/" + encode(project) + "/runs/" + encode(run) + "/" + endpoint);
    return HttpRequest.newBuilder(uri)
        .header("Content-Type", contentType())
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
        .build();
  }

  /** {@code multipart/form-data} with this request's boundary: the Content-Type of {@link #body()}. */
  public String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  /** The complete multipart body, closing boundary included. */
  public byte[] body() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.size() + 64);
    out.writeBytes(body.toByteArray());
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** A name inside a quoted header parameter: quotes and line breaks percent-encoded, as browsers do. */
  private static String quoted(String name) {
    return name.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
