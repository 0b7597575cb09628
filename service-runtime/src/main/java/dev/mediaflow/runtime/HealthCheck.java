package dev.mediaflow.runtime;

import java.util.Objects;

/**
 * The outcome of one named check of a service's health, e.g. {@code kafka} UP with "cluster
 * reachable" or {@code streams} DOWN with "state ERROR".
 *
 * @param name short, stable name shown as the key in the health JSON
 * @param up whether the condition holds
 * @param detail a human-readable reason, shown next to the status
 */
public record HealthCheck(String name, boolean up, String detail) {
  public HealthCheck {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(detail, "detail");
  }

  public static HealthCheck up(String name, String detail) {
    return new HealthCheck(name, true, detail);
  }

  public static HealthCheck down(String name, String detail) {
    return new HealthCheck(name, false, detail);
  }
}
