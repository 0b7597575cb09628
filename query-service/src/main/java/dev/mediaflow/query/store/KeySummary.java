package dev.mediaflow.query.store;

/**
 * A key of a run over its stepped items: its (most frequent) media type, item count, step range,
 * number of distinct steps and largest item index.
 */
public record KeySummary(String key, String mediaType, long items, long firstStep, long lastStep, long steps,
    int maxIndex) {}
