package dev.mediaflow.dist;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;

/**
 * Writes the distribution's {@code config/<service>.properties} templates from the services' own
 * config classes, so every key is listed with its documentation, type, default and valid values,
 * and a new key appears in the templates without anyone remembering to add it.
 *
 * <p>Run at build time: {@code ConfigTemplates <output-dir>}.
 */
public final class ConfigTemplates {
  /** Template file name to the config class whose {@code DEFINITION} and {@code NAMESPACE} it renders. */
  static final Map<String, String> SERVICES = new LinkedHashMap<>();

  static {
    SERVICES.put("ingest", "dev.mediaflow.ingest.IngestConfig");
    SERVICES.put("transform", "dev.mediaflow.transform.TransformConfig");
    SERVICES.put("sink", "dev.mediaflow.sink.SinkConfig");
    SERVICES.put("query", "dev.mediaflow.query.QueryConfig");
    SERVICES.put("init", "dev.mediaflow.ops.init.InitConfig");
  }

  private ConfigTemplates() {}

  public static void main(String[] args) throws IOException, ReflectiveOperationException {
    Path out = Path.of(args[0]);
    Files.createDirectories(out);
    for (Map.Entry<String, String> service : SERVICES.entrySet()) {
      Path file = out.resolve(service.getKey() + ".properties");
      Files.writeString(file, render(service.getKey(), Class.forName(service.getValue())), StandardCharsets.UTF_8);
    }
  }

  /** The template of one service: a header, then every key commented out at its default. */
  static String render(String service, Class<?> configClass) throws ReflectiveOperationException {
    String namespace = (String) staticField(configClass, "NAMESPACE");
    ConfigDef definition = (ConfigDef) staticField(configClass, "DEFINITION");
    boolean kafka = definition.names().contains("bootstrap.servers");
    StringBuilder text = new StringBuilder(header(service, namespace, kafka));
    for (ConfigKey key : definition.configKeys().values()) {
      text.append('\n').append(entry(namespace, key));
    }
    return text.toString();
  }

  /** The config classes keep their definition package-private; reading it here keeps them unchanged. */
  private static Object staticField(Class<?> type, String name) throws ReflectiveOperationException {
    Field field = type.getDeclaredField(name);
    field.setAccessible(true);
    return field.get(null);
  }

  /** @param kafka whether the service talks to Kafka (the query service does not: no pass-through) */
  private static String header(String service, String namespace, boolean kafka) {
    String envPrefix = envName(namespace, "");
    String common = "# mediaflow " + service + " settings, read by `bin/mediaflow " + service + "` from this file.\n"
        + "# Every key is listed, commented out at its default; uncomment and set what you need.\n"
        + "# An environment variable overrides the file: " + namespace + "some.key -> " + envPrefix + "SOME_KEY.\n";
    return !kafka ? common : common
        + "# Keys under " + namespace + "kafka. pass through to the Kafka clients (e.g. security.protocol,\n"
        + "# sasl.mechanism, sasl.jaas.config, ssl.truststore.location for SASL/SSL clusters).\n";
  }

  private static String entry(String namespace, ConfigKey key) {
    StringBuilder text = new StringBuilder();
    for (String line : wrap(key.documentation)) {
      text.append("# ").append(line).append('\n');
    }
    text.append("# Type ").append(key.type.name().toLowerCase(Locale.ROOT));
    if (key.validator != null) {
      text.append(", valid values ").append(key.validator);
    }
    text.append("; environment ").append(envName(namespace, key.name)).append('\n');
    if (!key.hasDefault()) {
      text.append("# REQUIRED (no default)\n#").append(namespace).append(key.name).append("=\n");
    } else if (key.defaultValue == null) {
      text.append("# not set by default\n#").append(namespace).append(key.name).append("=\n");
    } else {
      text.append('#').append(namespace).append(key.name).append('=')
          .append(ConfigDef.convertToString(key.defaultValue, key.type)).append('\n');
    }
    return text.toString();
  }

  /** The environment variable of a key, as {@code dev.mediaflow.schemas.config.Settings} reads it. */
  static String envName(String namespace, String key) {
    return (namespace + key).toUpperCase(Locale.ROOT).replace('.', '_');
  }

  private static Iterable<String> wrap(String documentation) {
    StringBuilder lines = new StringBuilder();
    int width = 0;
    for (String word : String.valueOf(documentation).split("\\s+")) {
      if (width > 0 && width + word.length() > 96) {
        lines.append('\n');
        width = 0;
      } else if (width > 0) {
        lines.append(' ');
        width++;
      }
      lines.append(word);
      width += word.length();
    }
    return lines.toString().lines().toList();
  }
}
