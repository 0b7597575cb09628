package dev.mediaflow.query.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request and its answer, as the API's resources see it: the path's segments below
 * {@code /api/v1}, query parameters, headers and cookies, and the ways to answer (JSON, bytes,
 * a stream, an error). Exactly one answer is written per exchange.
 */
public final class Exchange {
  /** The one mapper of the API's JSON (thread-safe once configured). */
  public static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);

  private final Request request;
  private final Response response;
  private final Callback callback;
  private final List<String> segments;
  private Fields parameters;

  public Exchange(Request request, Response response, Callback callback, List<String> segments) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.segments = segments;
  }

  /** The raw (still percent-encoded) path segments below {@code /api/v1}. */
  public List<String> segments() {
    return segments;
  }

  public String method() {
    return request.getMethod();
  }

  /** A query parameter's value, or null when absent or empty. */
  public String parameter(String name) {
    if (parameters == null) {
      parameters = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
    }
    String value = parameters.getValue(name);
    return value == null || value.isEmpty() ? null : value;
  }

  public String header(HttpHeader header) {
    return request.getHeaders().get(header);
  }

  /** The value of the cookie {@code name}, or null. */
  public String cookie(String name) {
    for (HttpCookie cookie : Request.getCookies(request)) {
      if (cookie.getName().equals(name)) {
        return cookie.getValue();
      }
    }
    return null;
  }

  public void setHeader(HttpHeader header, String value) {
    response.getHeaders().put(header, value);
  }

  public void setHeader(String header, String value) {
    response.getHeaders().put(header, value);
  }

  public void addHeader(HttpHeader header, String value) {
    response.getHeaders().add(header, value);
  }

  /** Answers {@code body} as JSON; JSON is never cached (a logging run changes it). */
  public void json(int status, JsonNode body) {
    setHeader(HttpHeader.CACHE_CONTROL, "no-store");
    bytes(status, "application/json; charset=utf-8", body.toString().getBytes(StandardCharsets.UTF_8));
  }

  public void bytes(int status, String contentType, byte[] body) {
    response.setStatus(status);
    if (contentType != null) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    }
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    if (request.getMethod().equals("HEAD")) {
      response.write(true, null, callback);
    } else {
      response.write(true, ByteBuffer.wrap(body), callback);
    }
  }

  /** An answer without a body (204, 304). */
  public void empty(int status) {
    response.setStatus(status);
    response.write(true, null, callback);
  }

  /**
   * Streams {@code length} bytes of {@code in} (closed here) with the status and headers set
   * before; blocks the calling thread while the client reads.
   */
  public void stream(int status, String contentType, long length, InputStream in) throws IOException {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
    try (in; OutputStream out = Content.Sink.asOutputStream(response)) {
      if (!request.getMethod().equals("HEAD")) {
        in.transferTo(out);
      }
    } catch (IOException | RuntimeException e) {
      // the status and length are sent: only an aborted connection can tell the client
      LOG.warn("streaming {} bytes to {} failed: {}", length, request.getHttpURI().getPath(), e.toString(), e);
      callback.failed(e);
      return;
    }
    callback.succeeded();
  }

  /** The one error shape: {@code {error_code, message}}. */
  public void error(ApiException e) {
    ObjectNode body = JSON.createObjectNode().put("error_code", e.errorCode()).put("message", e.getMessage());
    json(e.status(), body);
  }

  /** Whether an answer has begun, so a late failure can only abort the connection. */
  public boolean isCommitted() {
    return response.isCommitted();
  }

  public void fail(Throwable failure) {
    callback.failed(failure);
  }
}
