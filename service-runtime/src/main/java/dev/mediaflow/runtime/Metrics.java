package dev.mediaflow.runtime;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's metrics: one Micrometer Prometheus registry with the JVM's meters bound (memory,
 * GC, threads, class loading, processor, uptime); Kafka clients and Kafka Streams add theirs
 * through {@link #bind}, the service its own counters through {@link #counter} and
 * {@link #gauge}. {@link #scrape()} is the body of {@code GET /metrics}.
 *
 * <p>Names follow Micrometer's conventions and Prometheus' exposition: counter
 * {@code mediaflow.sink.items.stored} is scraped as {@code mediaflow_sink_items_stored_total},
 * gauge {@code mediaflow.ingest.memory.in.flight} with base unit {@code bytes} as
 * {@code mediaflow_ingest_memory_in_flight_bytes}; values are printed as decimals ({@code 42.0}).
 */
public final class Metrics implements AutoCloseable {
  /** The content type of {@link #scrape()} (Prometheus text exposition 0.0.4). */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final Logger LOG = LoggerFactory.getLogger(Metrics.class);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
  /** Micrometer holds a function meter's object weakly; these keep the suppliers alive. */
  private final List<Supplier<? extends Number>> suppliers = new CopyOnWriteArrayList<>();

  public Metrics() {
    bind(new JvmMemoryMetrics());
    bind(new JvmGcMetrics());
    bind(new JvmThreadMetrics());
    bind(new ClassLoaderMetrics());
    bind(new ProcessorMetrics());
    bind(new UptimeMetrics());
  }

  /** The registry, for meters of a kind the helpers below do not cover. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Binds {@code binder}'s meters; one that is {@link AutoCloseable} is closed with this. */
  public void bind(MeterBinder binder) {
    binder.bindTo(registry);
    if (binder instanceof AutoCloseable closeable) {
      closeables.add(closeable);
    }
  }

  /** A monotonic count read from {@code value} at each scrape (the service keeps the number). */
  public void counter(String name, String description, Supplier<? extends Number> value) {
    suppliers.add(value);
    FunctionCounter.builder(name, value, v -> v.get().doubleValue()).description(description).register(registry);
  }

  /**
   * A level read from {@code value} at each scrape.
   *
   * @param baseUnit e.g. {@code bytes}, appended to the Prometheus name; null for none
   */
  public void gauge(String name, String description, String baseUnit, Supplier<? extends Number> value) {
    suppliers.add(value);
    Gauge.builder(name, value, v -> v.get().doubleValue()).description(description).baseUnit(baseUnit)
        .register(registry);
  }

  /** Every meter in Prometheus text format ({@link #CONTENT_TYPE}). */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    for (AutoCloseable closeable : closeables) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.warn("closing metrics binding {} failed", closeable, e);
      }
    }
    registry.close();
  }
}
