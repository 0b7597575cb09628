package dev.mediaflow.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a service says about itself, in two questions.
 *
 * <ul>
 *   <li><b>live</b>: the process and its loops run. DOWN means "restart me"; a missing broker
 *       never makes a service un-live (restarting would not bring the broker back).
 *   <li><b>ready</b>: it can do its job now (Kafka reachable, streams running, store writable).
 *       DOWN means "do not send me work / alert"; it turns UP again on its own when the cause
 *       goes away.
 * </ul>
 *
 * Checks are suppliers called per request, so each must be cheap and never block (read a
 * cached probe result, a state field).
 */
public final class Health {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Supplier<HealthCheck>> liveness = new ArrayList<>();
  private final List<Supplier<HealthCheck>> readiness = new ArrayList<>();

  /** Adds a check to liveness; every liveness check is also part of readiness. */
  public Health live(Supplier<HealthCheck> check) {
    liveness.add(check);
    return this;
  }

  /** Adds a check to readiness only. */
  public Health ready(Supplier<HealthCheck> check) {
    readiness.add(check);
    return this;
  }

  /** The liveness answer. */
  public Report liveness() {
    return report(liveness);
  }

  /** The readiness answer: the liveness checks plus the readiness ones. */
  public Report readiness() {
    List<Supplier<HealthCheck>> all = new ArrayList<>(liveness);
    all.addAll(readiness);
    return report(all);
  }

  private static Report report(List<Supplier<HealthCheck>> checks) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode details = JSON.createObjectNode();
    boolean up = true;
    for (Supplier<HealthCheck> supplier : checks) {
      HealthCheck check = supplier.get();
      up &= check.up();
      details.putObject(check.name()).put("status", check.up() ? "UP" : "DOWN").put("detail", check.detail());
    }
    body.put("status", up ? "UP" : "DOWN");
    body.set("checks", details);
    return new Report(up, body.toString());
  }

  /**
   * One answer: {@code {"status": "UP"|"DOWN", "checks": {name: {"status", "detail"}}}}.
   *
   * @param up true when every check is up (HTTP 200), false otherwise (HTTP 503)
   * @param json the body
   */
  public record Report(boolean up, String json) {
    public int httpStatus() {
      return up ? 200 : 503;
    }
  }
}
