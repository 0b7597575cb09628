package dev.mediaflow.cluster;

import dev.mediaflow.infra.FreePort;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a compose service's environment into the environment of a process on this machine by
 * substituting only where things are: compose host names become local addresses, ports become
 * free local ports, volume paths become local directories. Every other variable is passed as the
 * file writes it, so the file is what is tested.
 *
 * <p>A value that still names a compose host after the substitution is an error: the file
 * gained a host this class does not know, and silently passing it on would test nothing.
 *
 * @param kafkaPort the local client port of compose broker {@code kafka-<n>} (n from 1)
 * @param registryUrl the local registry root replacing {@code http://registry:8080}
 * @param s3Endpoint the local S3 endpoint replacing {@code http://minio:9000}
 * @param postgresDatabase the local database replacing the compose {@code postgres} service's
 *     database, on 127.0.0.1:5432
 */
public record LocalEndpoints(IntUnaryOperator kafkaPort, String registryUrl, String s3Endpoint,
    String postgresDatabase) {

  private static final Pattern KAFKA = Pattern.compile("\\bkafka-(\\d+):9092\\b");
  private static final Pattern REGISTRY = Pattern.compile("http://registry:8080");
  private static final Pattern MINIO = Pattern.compile("http://minio:9000");
  private static final Pattern POSTGRES = Pattern.compile("jdbc:postgresql://postgres:5432/[A-Za-z0-9_]+");
  /** What a compose host looks like in a value once everything known is substituted. */
  private static final Pattern LEFTOVER_HOST = Pattern.compile(
      "\\b(kafka|registry|minio|postgres)(-[A-Za-z0-9]+)?:\\d+");
  private static final String ANY_ADDRESS = "0.0.0.0";

  /**
   * The environment of one instance of {@code service} on this machine.
   *
   * @param service the compose service
   * @param ports the local port for each {@code *_PORT} variable, by variable name; missing ones
   *     are picked free and added, so a restarted instance can reuse them
   * @param volumeRoot the local directory standing in for the service's volumes
   * @return the environment to start the process with
   * @throws IllegalStateException if a value still names a compose host
   */
  public Map<String, String> environment(ComposeFile.Service service, Map<String, Integer> ports, Path volumeRoot) {
    Map<String, String> env = new LinkedHashMap<>();
    service.environment().forEach((name, value) -> {
      String local;
      if (name.endsWith("_PORT")) {
        // containers each have their own ports; processes on one host need distinct free ones
        local = Integer.toString(ports.computeIfAbsent(name, n -> FreePort.find()));
      } else {
        local = substitute(value, service.volumeTargets(), volumeRoot);
      }
      Matcher leftover = LEFTOVER_HOST.matcher(local);
      if (leftover.find()) {
        throw new IllegalStateException(service.name() + ": " + name + "=" + value + " names compose host "
            + leftover.group() + ", which " + LocalEndpoints.class.getSimpleName() + " cannot map to this machine");
      }
      env.put(name, local);
    });
    return env;
  }

  private String substitute(String value, List<String> volumeTargets, Path volumeRoot) {
    String local = KAFKA.matcher(value).replaceAll(m -> Matcher.quoteReplacement(
        FreePort.LOOPBACK_HOST + ":" + kafkaPort.applyAsInt(Integer.parseInt(m.group(1)))));
    local = REGISTRY.matcher(local).replaceAll(Matcher.quoteReplacement(registryUrl));
    local = MINIO.matcher(local).replaceAll(Matcher.quoteReplacement(s3Endpoint));
    local = POSTGRES.matcher(local).replaceAll(Matcher.quoteReplacement(
        "jdbc:postgresql://127.0.0.1:5432/" + postgresDatabase));
    if (local.equals(ANY_ADDRESS)) {
      // a container listens on every interface of its own network; here that would be the machine's
      local = FreePort.LOOPBACK_HOST;
    }
    for (String target : volumeTargets) {
      if (local.equals(target) || local.startsWith(target + "/")) {
        local = volumeRoot.resolve(local.substring(target.length()).replaceFirst("^/", "")).toString();
      }
    }
    return local;
  }
}
