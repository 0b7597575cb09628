package dev.mediaflow.bench.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Per-item latencies of one phase as CSV ({@code ack_ms,stored_ms,latency_ms,item}, in ack
 * order), for finding when the slow items happened and lining them up with rebalance and commit
 * times in the services' logs (both clocks are this machine's wall clock). Written only when the
 * bench gets {@code latencyDir=DIR}: {@code DIR/<phase>.csv}.
 */
final class LatencyDump {
  private LatencyDump() {
  }

  /**
   * @param acked identity → {ack wall-clock ms, ...}
   * @param stored identity → {@code stored_at} (ms); items never stored are written with an empty stored_ms
   */
  static void write(Path dir, String phase, Map<String, long[]> acked, Map<String, Long> stored) {
    List<Map.Entry<String, long[]>> rows = new ArrayList<>(acked.entrySet());
    rows.sort(Map.Entry.comparingByValue((a, b) -> Long.compare(a[0], b[0])));
    try {
      Files.createDirectories(dir);
      try (Writer out = Files.newBufferedWriter(dir.resolve(phase + ".csv"))) {
        out.write("ack_ms,stored_ms,latency_ms,item\n");
        for (Map.Entry<String, long[]> row : rows) {
          long ack = row.getValue()[0];
          Long at = stored.get(row.getKey());
          out.write(ack + "," + (at == null ? "" : at) + "," + (at == null ? "" : at - ack) + "," + row.getKey() + "\n");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
