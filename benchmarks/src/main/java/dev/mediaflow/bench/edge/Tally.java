package dev.mediaflow.bench.edge;

import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Answers of one kind of client, by outcome: the HTTP status, {@code no answer} (the client's
 * timeout ran out), {@code connection error} (reset, closed or refused before an answer), with
 * the latency of every answered call. Thread-safe.
 */
final class Tally {
  static final String NO_ANSWER = "no answer (timeout)";
  static final String CONNECTION_ERROR = "connection reset/closed";

  private final Map<String, Long> outcomes = new TreeMap<>();
  private final List<Long> latenciesMillis = new ArrayList<>();
  private final Map<String, String> examples = new TreeMap<>();
  private long bytesAnswered200;
  private long retryAfter;

  synchronized void answered(int status, long millis, long requestBytes, boolean hasRetryAfter, String body) {
    outcomes.merge(String.valueOf(status), 1L, Long::sum);
    latenciesMillis.add(millis);
    if (status == 200) {
      bytesAnswered200 += requestBytes;
    }
    if (hasRetryAfter) {
      retryAfter++;
    }
    examples.putIfAbsent(String.valueOf(status), abbreviate(body));
  }

  synchronized void failed(Throwable error) {
    String outcome = error instanceof HttpTimeoutException && !(error instanceof java.net.http.HttpConnectTimeoutException)
        ? NO_ANSWER : CONNECTION_ERROR;
    outcomes.merge(outcome, 1L, Long::sum);
    examples.putIfAbsent(outcome, abbreviate(error instanceof ConnectException ? "connect: " + error : error.toString()));
  }

  synchronized long total() {
    return outcomes.values().stream().mapToLong(Long::longValue).sum();
  }

  synchronized long count(String outcome) {
    return outcomes.getOrDefault(outcome, 0L);
  }

  synchronized long bytes200() {
    return bytesAnswered200;
  }

  synchronized long withRetryAfter() {
    return retryAfter;
  }

  synchronized Map<String, Long> outcomes() {
    return new TreeMap<>(outcomes);
  }

  synchronized Map<String, String> examples() {
    return new TreeMap<>(examples);
  }

  /** Latency quantile of answered calls in ms, -1 if none. */
  synchronized long quantile(double q) {
    if (latenciesMillis.isEmpty()) {
      return -1;
    }
    List<Long> sorted = new ArrayList<>(latenciesMillis);
    sorted.sort(null);
    int i = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  /** "200 97.1 %, 503 2.9 %" over every outcome. */
  synchronized String shares() {
    long total = total();
    if (total == 0) {
      return "none";
    }
    StringBuilder b = new StringBuilder();
    outcomes.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ")
        .append(String.format(Locale.ROOT, "%s: %d (%.1f %%)", k, v, 100.0 * v / total)));
    return b.toString();
  }

  private static String abbreviate(String s) {
    String one = s == null ? "" : s.replace('\n', ' ');
    return one.length() > 160 ? one.substring(0, 160) + "..." : one;
  }
}
