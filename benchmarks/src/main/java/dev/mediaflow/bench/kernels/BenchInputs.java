package dev.mediaflow.bench.kernels;

import java.nio.file.Path;

/** Where the inputs written by {@code tools/bench/kernels.py inputs DIR} live. */
public final class BenchInputs {
  /** Environment variable naming the input directory (forked JMH JVMs inherit it). */
  public static final String ENV = "MEDIAFLOW_BENCH_INPUTS";

  private BenchInputs() {}

  public static Path dir() {
    String dir = System.getenv(ENV);
    if (dir == null || dir.isBlank()) {
      throw new IllegalStateException(ENV + " is not set; run tools/bench/run-kernels.sh");
    }
    return Path.of(dir);
  }
}
