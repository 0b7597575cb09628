package dev.mediaflow.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The services of a {@code docker-compose.yml}: for each, its command, environment and volumes,
 * exactly as the file gives them, so a test can start processes from the file itself.
 */
public final class ComposeFile {

  /**
   * One service of the file.
   *
   * @param name the service's name, e.g. {@code sink-1}
   * @param command its {@code command} list (empty if it has none), e.g. {@code ["sink"]}
   * @param environment its {@code environment}, values as strings
   * @param volumes its {@code volumes}, {@code source:target[:mode]} as written
   */
  public record Service(String name, List<String> command, Map<String, String> environment, List<String> volumes) {

    /** @return the first word of the command (the mediaflow subcommand), or empty */
    public Optional<String> subcommand() {
      return command.isEmpty() ? Optional.empty() : Optional.of(command.get(0));
    }

    /** @return the container paths its named volumes are mounted at */
    public List<String> volumeTargets() {
      return volumes.stream().map(v -> v.split(":")).filter(p -> p.length >= 2).map(p -> p[1]).toList();
    }
  }

  private final Path file;
  private final Map<String, Service> services;

  private ComposeFile(Path file, Map<String, Service> services) {
    this.file = file;
    this.services = services;
  }

  /**
   * Reads a compose file.
   *
   * @param file the YAML file
   * @return its services
   * @throws UncheckedIOException if it cannot be read or parsed
   */
  public static ComposeFile read(Path file) {
    try {
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
      Map<String, Service> services = new LinkedHashMap<>();
      root.path("services").fields().forEachRemaining(e -> services.put(e.getKey(), service(e.getKey(), e.getValue())));
      if (services.isEmpty()) {
        throw new IOException("no services in " + file);
      }
      return new ComposeFile(file, services);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read compose file " + file, e);
    }
  }

  /**
   * Finds {@code docker-compose.yml} in the working directory or its nearest ancestor that has
   * one (tests run in module directories).
   *
   * @return the file
   * @throws IllegalStateException if there is none
   */
  public static Path locate() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("docker-compose.yml");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no docker-compose.yml in " + Path.of("").toAbsolutePath() + " or its parents");
  }

  /** @return the file read */
  public Path file() {
    return file;
  }

  /**
   * @param name a service name
   * @return that service
   * @throws IllegalArgumentException if the file has no such service
   */
  public Service service(String name) {
    Service service = services.get(name);
    if (service == null) {
      throw new IllegalArgumentException(file + " has no service " + name + " (it has " + services.keySet() + ")");
    }
    return service;
  }

  /**
   * @param subcommand a mediaflow subcommand, e.g. {@code transform}
   * @return the services running it, by name
   */
  public List<Service> servicesRunning(String subcommand) {
    Map<String, Service> sorted = new TreeMap<>();
    services.values().stream().filter(s -> s.subcommand().filter(subcommand::equals).isPresent())
        .forEach(s -> sorted.put(s.name(), s));
    return List.copyOf(sorted.values());
  }

  private static Service service(String name, JsonNode node) {
    List<String> command = new ArrayList<>();
    node.path("command").forEach(c -> command.add(c.asText()));
    Map<String, String> environment = new LinkedHashMap<>();
    JsonNode env = node.path("environment");
    if (env.isArray()) {
      // the list form: - NAME=value
      env.forEach(e -> {
        String[] kv = e.asText().split("=", 2);
        environment.put(kv[0], kv.length > 1 ? kv[1] : "");
      });
    } else {
      env.fields().forEachRemaining(e -> environment.put(e.getKey(), e.getValue().asText()));
    }
    List<String> volumes = new ArrayList<>();
    node.path("volumes").forEach(v -> volumes.add(v.asText()));
    return new Service(name, List.copyOf(command), Map.copyOf(environment), List.copyOf(volumes));
  }
}
