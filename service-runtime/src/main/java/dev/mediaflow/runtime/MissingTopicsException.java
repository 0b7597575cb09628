package dev.mediaflow.runtime;

import java.util.List;

/** A service's topics do not exist on the cluster: it refuses to start (see {@link TopicCheck}). */
public final class MissingTopicsException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final transient List<String> missing;

  public MissingTopicsException(String service, String bootstrapServers, List<String> missing) {
    super(service + " cannot start: topic" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
        + (missing.size() == 1 ? " does" : " do") + " not exist on the Kafka cluster at " + bootstrapServers
        + ". Create them with `mediaflow init` (bin/mediaflow init), then start " + service + " again.");
    this.missing = List.copyOf(missing);
  }

  /** The names of the topics that do not exist. */
  public List<String> missing() {
    return missing;
  }
}
