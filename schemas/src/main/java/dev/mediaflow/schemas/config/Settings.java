package dev.mediaflow.schemas.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Reads one service's settings: a properties file, then environment variables on top.
 * Each service owns a namespace such as {@code mediaflow.transform.}; inside it the
 * variable {@code MEDIAFLOW_TRANSFORM_KAFKA_MAX_REQUEST_SIZE} overrides the key
 * {@code kafka.max.request.size}. Keys therefore use dots only. Types, defaults and
 * validation are declared by each service with Kafka's {@code ConfigDef}.
 */
public final class Settings {
  private Settings() {}

  /** File entries under {@code namespace} (namespace stripped), overridden by environment variables. */
  public static Map<String, String> load(String namespace, Path file, Map<String, String> env) {
    Map<String, String> values = new TreeMap<>();
    if (file != null) {
      readFile(file).forEach((k, v) -> {
        String key = k.toString();
        if (key.startsWith(namespace)) {
          values.put(key.substring(namespace.length()), v.toString().trim());
        }
      });
    }
    String envPrefix = namespace.toUpperCase(Locale.ROOT).replace('.', '_');
    env.forEach((name, value) -> {
      if (name.startsWith(envPrefix) && name.length() > envPrefix.length()) {
        values.put(name.substring(envPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
      }
    });
    return values;
  }

  /** The entries under a pass-through prefix (e.g. {@code kafka.}), prefix stripped, for a client. */
  public static Map<String, Object> passThrough(Map<String, ?> values, String prefix) {
    Map<String, Object> out = new TreeMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k.substring(prefix.length()), v);
      }
    });
    return out;
  }

  private static Properties readFile(Path file) {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read settings file " + file, e);
    }
    return properties;
  }
}
