package dev.mediaflow.ops.init;

import java.util.ArrayList;
import java.util.List;

/** What {@code init} did: one line per topic and schema, and the topics whose settings differ. */
public final class InitReport {
  private final List<String> lines = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private int created;
  private int found;

  void created(String what) {
    created++;
    lines.add("created " + what);
  }

  void found(String what) {
    found++;
    lines.add("found   " + what);
  }

  void problem(String what) {
    problems.add(what);
    lines.add("WRONG   " + what);
  }

  /** Human-readable lines, in the order things were done. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** Existing topics whose settings differ from the wanted ones; init changes none of them. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  public int createdCount() {
    return created;
  }

  public int foundCount() {
    return found;
  }
}
