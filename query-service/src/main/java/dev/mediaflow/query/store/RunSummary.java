package dev.mediaflow.query.store;

import java.util.Map;

/**
 * One row of the {@code run_summary} view plus the number of keys with stepped items.
 *
 * @param firstStep first stepped (≥ 0) step, or null when the run has only summary items
 * @param counts items per media type: image, histogram, object3D, table, video, audio, other
 */
public record RunSummary(String run, long items, long summaryItems, long keys, Long firstStep, Long lastStep,
    long firstLoggedAt, long lastLoggedAt, Map<String, Long> counts) {}
