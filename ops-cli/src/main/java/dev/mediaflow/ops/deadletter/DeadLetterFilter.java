package dev.mediaflow.ops.deadletter;

/** Selects dead letters by stage, project and run; {@code null} matches anything. */
public record DeadLetterFilter(String stage, String project, String run) {

  public boolean matches(DeadLetter letter) {
    return (stage == null || stage.equals(letter.stage())) && matchesItem(letter);
  }

  /** Whether the letter's item is of the project and run asked for, whatever its stage. */
  public boolean matchesItem(DeadLetter letter) {
    return (project == null || project.equals(letter.project())) && (run == null || run.equals(letter.run()));
  }
}
