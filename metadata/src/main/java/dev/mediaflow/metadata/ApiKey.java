package dev.mediaflow.metadata;

import java.time.Instant;
import java.util.Objects;

/**
 * What is known about an API key apart from its secret: the row of {@code api_key} without the
 * hash, safe to print.
 *
 * @param id the key's id (the part after {@code mf_})
 * @param project the project it may access, or {@link #ANY_PROJECT}
 * @param scope what it may do
 * @param label a free note (who or what holds it), or null
 * @param createdAt when it was created
 * @param revokedAt when it was revoked, or null while it is valid
 */
public record ApiKey(String id, String project, ApiKeyScope scope, String label, Instant createdAt,
    Instant revokedAt) {
  /** The project of a key valid for every project. */
  public static final String ANY_PROJECT = "*";

  public ApiKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  public boolean isRevoked() {
    return revokedAt != null;
  }

  /** Whether the key is bound to {@code name}, or to every project. */
  public boolean coversProject(String name) {
    return project.equals(ANY_PROJECT) || project.equals(name);
  }
}
