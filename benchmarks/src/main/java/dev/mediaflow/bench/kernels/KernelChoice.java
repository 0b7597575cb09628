package dev.mediaflow.bench.kernels;

import dev.mediaflow.transform.simd.Kernels;

/**
 * Applies a benchmark's {@code kernels} parameter ({@code vector} or {@code scalar}). JMH runs
 * every parameter combination in a fork of its own, so setting {@link Kernels#PROPERTY} in the
 * trial set-up, before the first kernel call initializes the choice, selects the
 * implementation for the whole fork; the check fails the trial if that did not happen (e.g.
 * {@code -f 0}, or the JVM lacks {@code --add-modules jdk.incubator.vector}).
 */
final class KernelChoice {

  private KernelChoice() {}

  static void apply(String wanted) {
    System.setProperty(Kernels.PROPERTY, wanted);
    String active = Kernels.active().name();
    if (!active.equals(wanted)) {
      throw new IllegalStateException("asked for the " + wanted + " kernels, the fork runs the "
          + active + " ones (run with forks and --add-modules jdk.incubator.vector)");
    }
  }
}
