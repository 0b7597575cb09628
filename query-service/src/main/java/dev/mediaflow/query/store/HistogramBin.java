package dev.mediaflow.query.store;

/** One row of {@code histogram_bin}: bin {@code bin} of the histogram item (step, index). */
public record HistogramBin(long step, int index, int bin, double leftEdge, double rightEdge, double count) {}
