package dev.mediaflow.transform.histogram;

import java.util.Locale;

/**
 * What to do with NaN and +-infinity in the values of a histogram (media-semantics.md,
 * "Histogram").
 */
public enum NonFinitePolicy {
  /**
   * numpy's behaviour, the default: any NaN or infinite value makes the autodetected range
   * non-finite and the item is rejected ("autodetected range of [a, b] is not finite").
   */
  REJECT,
  /**
   * Remove NaN and +-infinity first, bin the rest exactly as numpy would bin the filtered
   * array, and record how many values were removed ({@link Histogram#droppedNonFinite()}).
   */
  DROP;

  /**
   * The policy for a configuration value, {@code "reject"} or {@code "drop"}
   * (case-insensitive).
   *
   * @throws IllegalArgumentException for any other value (a configuration error)
   */
  public static NonFinitePolicy fromName(String name) {
    if (name != null) {
      String n = name.trim().toUpperCase(Locale.ROOT);
      for (NonFinitePolicy p : values()) {
        if (p.name().equals(n)) {
          return p;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown non-finite policy '" + name + "' (expected 'reject' or 'drop')");
  }
}
