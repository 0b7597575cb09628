package dev.mediaflow.ingest.http;

import com.sun.net.httpserver.HttpExchange;
import dev.mediaflow.ingest.logcall.LogCallException;
import dev.mediaflow.ingest.logcall.LogCallParser.Part;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.fileupload2.core.AbstractFileUpload;
import org.apache.commons.fileupload2.core.AbstractRequestContext;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.RequestContext;

/**
 * Reads a multipart/form-data request body into named in-memory parts (commons-fileupload2
 * streaming API). Two parts with the same name are refused ({@link LogCallException}); a
 * malformed body is an {@link IllegalArgumentException} (both answered with 400).
 */
final class MultipartParts {
  private MultipartParts() {}

  static Map<String, Part> read(HttpExchange exchange, long maxBytes) throws IOException {
    Upload upload = new Upload();
    upload.setSizeMax(maxBytes);
    Map<String, Part> parts = new LinkedHashMap<>();
    try {
      FileItemInputIterator items = upload.getItemIterator(new ExchangeContext(exchange));
      while (items.hasNext()) {
        FileItemInput item = items.next();
        try (InputStream in = item.getInputStream()) {
          String fileName = item.getName() == null || item.getName().isBlank() ? item.getFieldName() : item.getName();
          Part previous = parts.put(item.getFieldName(), new Part(item.getFieldName(), fileName, in.readAllBytes()));
          if (previous != null) {
            // which one was meant is unknowable: refuse rather than let the last one win
            throw new LogCallException("the request has two parts named \"" + item.getFieldName()
                + "\"; each part name must be unique");
          }
        }
      }
    } catch (FileUploadException e) {
      throw new IllegalArgumentException("cannot read multipart body: " + e.getMessage(), e);
    }
    return parts;
  }

  /** The request as commons-fileupload sees it. */
  private static final class ExchangeContext extends AbstractRequestContext<HttpExchange> {
    ExchangeContext(HttpExchange exchange) {
      super(exchange.getRequestHeaders()::getFirst,
          () -> {
            String length = exchange.getRequestHeaders().getFirst("Content-Length");
            return length == null ? -1L : Long.parseLong(length);
          },
          exchange);
    }

    @Override
    public String getCharacterEncoding() {
      return null;
    }

    @Override
    public String getContentType() {
      return getRequest().getRequestHeaders().getFirst("Content-Type");
    }

    @Override
    public InputStream getInputStream() {
      return getRequest().getRequestBody();
    }
  }

  /** Only the streaming iterator is used; the list-returning API of the base class is not needed. */
  private static final class Upload extends AbstractFileUpload<RequestContext, DiskFileItem, DiskFileItemFactory> {
    @Override
    public FileItemInputIterator getItemIterator(RequestContext request) throws FileUploadException, IOException {
      return super.getItemIterator(request);
    }

    @Override
    public Map<String, List<DiskFileItem>> parseParameterMap(RequestContext request) {
      throw new UnsupportedOperationException("streaming only");
    }

    @Override
    public List<DiskFileItem> parseRequest(RequestContext request) {
      throw new UnsupportedOperationException("streaming only");
    }
  }
}
