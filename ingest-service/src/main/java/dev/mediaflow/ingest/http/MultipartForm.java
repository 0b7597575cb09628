package dev.mediaflow.ingest.http;

import dev.mediaflow.ingest.logcall.LogCallException;
import dev.mediaflow.ingest.logcall.LogCallParser.Part;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartConfig;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;

/**
 * The multipart/form-data side of a log call, on Jetty's parser: its limits (body, part, part
 * count, part headers), parts above {@link #MEMORY_PART_BYTES} kept on disk while the body
 * arrives, the parts turned into the parser's named byte arrays once the call is admitted, and
 * every parse failure turned into an answer with a reason.
 */
final class MultipartForm {
  /** Parts up to this size stay in memory while the body arrives; larger ones wait on disk. */
  static final long MEMORY_PART_BYTES = 64 * 1024;

  private final GatewaySettings settings;
  private final MultiPartConfig config;

  MultipartForm(GatewaySettings settings, Path spoolDir) {
    this.settings = settings;
    this.config = new MultiPartConfig.Builder()
        .location(spoolDir)
        .maxSize(settings.maxRequestBytes())
        .maxPartSize(settings.maxPartBytes())
        .maxParts(settings.maxParts())
        .maxHeadersSize(settings.maxHeaderBytes())
        .maxMemoryPartSize(MEMORY_PART_BYTES)
        .useFilesForPartsWithoutFileName(true) // the "log" part has no file name; it is bounded the same way
        .build();
  }

  MultiPartConfig config() {
    return config;
  }

  /**
   * The parts by name, their bytes in memory (the caller has reserved them).
   *
   * @throws LogCallException (a 400) when two parts have one name or a part has none
   */
  static Map<String, Part> read(MultiPartFormData.Parts parts) {
    Map<String, Part> byName = new LinkedHashMap<>();
    for (MultiPart.Part part : parts) {
      String name = part.getName();
      if (name == null) {
        throw new LogCallException("a multipart part has no name (Content-Disposition: form-data; name=…)");
      }
      String fileName = part.getFileName() == null || part.getFileName().isBlank() ? name : part.getFileName();
      if (byName.put(name, new Part(name, fileName, bytes(part))) != null) {
        // which one was meant is unknowable: refuse rather than let the last one win
        throw new LogCallException("the request has two parts named \"" + name + "\"; each part name must be unique");
      }
    }
    return byName;
  }

  private static byte[] bytes(MultiPart.Part part) {
    try {
      if (part instanceof MultiPart.PathPart onDisk) {
        return Files.readAllBytes(onDisk.getPath());
      }
      ByteBuffer buffer = Content.Source.asByteBuffer(part.createContentSource());
      byte[] data = new byte[buffer.remaining()];
      buffer.get(data);
      return data;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read part \"" + part.getName() + "\" back from the spool", e);
    }
  }

  /** The answer to a body that could not be read: a limit (413), the idle timeout (408), or malformed (400). */
  Refusal refusal(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof Refusal refusal) {
      return refusal;
    }
    if (cause instanceof TimeoutException) {
      return new Refusal(408, "request_timeout", "the body did not arrive: nothing received for "
          + settings.idleTimeout().toMillis() + " ms (mediaflow.ingest.http.idle.timeout.ms)");
    }
    String message = String.valueOf(cause.getMessage());
    if (message.startsWith("max length exceeded")) {
      return Refusal.tooLarge("request_too_large", "the body is above the limit of " + settings.maxRequestBytes()
          + " bytes (mediaflow.ingest.http.max.request.bytes)");
    }
    if (message.startsWith("max file size exceeded")) {
      return Refusal.tooLarge("part_too_large", "a part is above the limit of " + settings.maxPartBytes()
          + " bytes (mediaflow.ingest.http.max.part.bytes)");
    }
    if (message.startsWith("Form with too many keys")) {
      return Refusal.tooLarge("too_many_parts", "the call has more than " + settings.maxParts()
          + " parts (mediaflow.ingest.http.max.parts)");
    }
    if (message.startsWith("headers max length exceeded")) {
      return Refusal.tooLarge("part_headers_too_large", "a part's headers are above the limit of "
          + settings.maxHeaderBytes() + " bytes (mediaflow.ingest.http.max.header.bytes)");
    }
    if (cause instanceof EOFException) {
      return new Refusal(400, "bad_request", "cannot read multipart body: it ended before its closing boundary");
    }
    return new Refusal(400, "bad_request", "cannot read multipart body: " + message);
  }
}
