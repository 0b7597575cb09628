package dev.mediaflow.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of another process, read from Linux's {@code /proc/<pid>/stat}. */
public final class ProcessCpu {
  private static final double CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

  private ProcessCpu() {}

  /**
   * User plus system CPU time of a running process: fields 14 and 15 of {@code /proc/<pid>/stat},
   * counted after the command name's closing parenthesis (the name may hold spaces).
   *
   * @param pid the process id
   * @return seconds; 0 if the process is gone or this is not Linux
   */
  public static double seconds(long pid) {
    if (pid <= 0) {
      return 0;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
