package dev.mediaflow.query.media;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediaflow.query.store.HistogramBin;
import java.util.List;

/**
 * A key's histograms over steps, for a heat map: the bins of {@code histogram_bin} grouped into
 * one entry per histogram item ({@code edges} one longer than {@code counts}), with the overall
 * edge range and largest count so a viewer can scale every column alike.
 */
public final class HistogramSeries {
  private HistogramSeries() {}

  /** @param bins ordered by step, index and bin (as {@code MediaStore#histogramBins} reads them) */
  public static ObjectNode of(String key, List<HistogramBin> bins) {
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("key", key);
    ArrayNode series = body.putArray("series");
    double minEdge = Double.POSITIVE_INFINITY;
    double maxEdge = Double.NEGATIVE_INFINITY;
    double maxCount = 0;
    ObjectNode current = null;
    for (HistogramBin bin : bins) {
      if (current == null || current.get("step").asLong() != bin.step() || current.get("index").asInt() != bin.index()) {
        current = series.addObject().put("step", bin.step()).put("index", bin.index());
        current.putArray("edges").add(bin.leftEdge());
        current.putArray("counts");
      }
      ((ArrayNode) current.get("edges")).add(bin.rightEdge());
      ((ArrayNode) current.get("counts")).add(bin.count());
      minEdge = Math.min(minEdge, bin.leftEdge());
      maxEdge = Math.max(maxEdge, bin.rightEdge());
      maxCount = Math.max(maxCount, bin.count());
    }
    boolean none = bins.isEmpty();
    body.put("min_edge", none ? null : minEdge).put("max_edge", none ? null : maxEdge).put("max_count", maxCount);
    return body;
  }
}
