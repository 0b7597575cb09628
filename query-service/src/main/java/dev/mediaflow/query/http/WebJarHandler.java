package dev.mediaflow.query.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves the files of WebJars on the class path (the browser's libraries, e.g. three.js) at
 * version-less paths: {@code /webjars/three/build/three.module.min.js} is the class-path file
 * {@code META-INF/resources/webjars/three/<version>/build/three.module.min.js}, the version read
 * from the WebJar's {@code pom.properties}. So the browser never needs a CDN, and upgrading a
 * WebJar is a version property in the parent pom. Paths that do not resolve fall through
 * ({@code false}), to the caller's 404.
 */
public final class WebJarHandler extends Handler.Abstract {
  /** The URL prefix served here. */
  public static final String PREFIX = "/webjars/";
  private static final String ROOT = "META-INF/resources/webjars/";
  private static final String[] GROUPS = {"org.webjars.npm", "org.webjars"};
  // names and file paths of plain characters only: no "..", no escapes, no backslashes
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
  private static final Pattern FILE = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");

  private final ClassLoader classLoader = WebJarHandler.class.getClassLoader();
  private final Map<String, Optional<String>> versions = new ConcurrentHashMap<>();
  // the few library files a page loads, kept once read (they never change while running)
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = request.getHttpURI().getPath();
    if (path == null || !path.startsWith(PREFIX) || !isRead(request.getMethod())) {
      return false;
    }
    String rest = path.substring(PREFIX.length());
    int slash = rest.indexOf('/');
    if (slash < 0) {
      return false;
    }
    String name = rest.substring(0, slash);
    String file = rest.substring(slash + 1);
    if (!NAME.matcher(name).matches() || !FILE.matcher(file).matches() || file.contains("..")) {
      return false;
    }
    Optional<String> version = versions.computeIfAbsent(name, this::version);
    byte[] bytes = version.map(v -> read(ROOT + name + "/" + v + "/" + file)).orElse(null);
    if (bytes == null) {
      return false;
    }
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType(file));
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "public, max-age=3600");
    response.getHeaders().put(HttpHeader.ETAG, "\"" + name + "-" + version.get() + "\"");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, request.getMethod().equals("HEAD") ? ByteBuffer.allocate(0) : ByteBuffer.wrap(bytes),
        callback);
    return true;
  }

  private static boolean isRead(String method) {
    return method.equals("GET") || method.equals("HEAD");
  }

  /** The version of WebJar {@code name} on the class path, from its Maven {@code pom.properties}. */
  private Optional<String> version(String name) {
    for (String group : GROUPS) {
      try (InputStream in = classLoader.getResourceAsStream("META-INF/maven/" + group + "/" + name + "/pom.properties")) {
        if (in != null) {
          Properties properties = new Properties();
          properties.load(in);
          return Optional.ofNullable(properties.getProperty("version"));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return Optional.empty();
  }

  private byte[] read(String resource) {
    byte[] cached = files.get(resource);
    if (cached != null) {
      return cached;
    }
    try (InputStream in = classLoader.getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      byte[] bytes = in.readAllBytes();
      files.put(resource, bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Module scripts must be served as JavaScript, whatever the MIME table says. */
  private static String contentType(String file) {
    if (file.endsWith(".js") || file.endsWith(".mjs")) {
      return "text/javascript; charset=utf-8";
    }
    String type = MimeTypes.DEFAULTS.getMimeByExtension(file);
    return type != null ? type : "application/octet-stream";
  }
}
