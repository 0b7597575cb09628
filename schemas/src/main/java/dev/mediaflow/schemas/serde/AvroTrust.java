package dev.mediaflow.schemas.serde;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 refuses to instantiate classes outside a trusted list when reading or writing
 * specific records. Our generated classes live in one package, trusted here once, next to
 * the defaults (system properties still add more).
 */
public final class AvroTrust {
  static final String GENERATED_PACKAGE = "dev.mediaflow.schemas.avro.";

  private AvroTrust() {}

  /** Idempotent; services call it at start, the serde on first use. */
  public static synchronized void install() {
    ClassSecurityValidator.ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
    ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
        current, type -> type.getName().startsWith(GENERATED_PACKAGE)));
  }
}
