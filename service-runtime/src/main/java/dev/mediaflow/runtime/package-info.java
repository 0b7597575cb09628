/**
 * What every mediaflow service runs on.
 *
 * <p>Adopting it in a service (ingest, transform and sink do exactly this):
 *
 * <ol>
 *   <li>Config: {@code KafkaSettings kafka()} returning
 *       {@code KafkaSettings.of(getString(BOOTSTRAP_SERVERS), originalsStrings())} (every
 *       {@code kafka.*} key passes through), and, for a service without an HTTP server of its own,
 *       {@code health.host} (default {@code 127.0.0.1}) and {@code health.port} (-1 off, 0 any)
 *       giving a {@link dev.mediaflow.runtime.ServiceRuntime.Endpoint}; one with its own server
 *       passes {@link dev.mediaflow.runtime.ServiceRuntime.Endpoint#NONE} and serves
 *       {@link dev.mediaflow.runtime.Health} and {@link dev.mediaflow.runtime.Metrics#scrape()} itself.
 *   <li>Constructor: {@code runtime = new ServiceRuntime("name", config.kafka(), endpoint)}, then
 *       {@link dev.mediaflow.runtime.ServiceRuntime#requireTopics} with the topics it reads and
 *       writes (close the runtime if it throws), then build every Kafka client through
 *       {@code runtime.clients()} (producer, consumer, admin, Streams properties; bind a
 *       {@code KafkaStreams} with {@code runtime.metrics().bind(new KafkaStreamsMetrics(streams))}),
 *       add checks to {@code runtime.health()} ({@code live} / {@code ready}; Kafka reachability is
 *       already there) and counters to {@code runtime.metrics()} ({@code counter("mediaflow.x.items",
 *       ...)} is scraped as {@code mediaflow_x_items_total}).
 *   <li>{@code start()}: start the work, then {@code runtime.started()} (opens the endpoint).
 *   <li>{@code close()}: {@code runtime.stopping()} first, close the service's own clients, then
 *       {@code runtime.close()} last.
 *   <li>{@code main}: {@code Startup.orExit("name", () -> new X(config).start())} (a missing topic
 *       or bad setting: one ERROR line, exit 2), then
 *       {@code Shutdown.onSignal("name", service).await()} (SIGTERM: graceful close).
 * </ol>
 *
 * <p>A service without Kafka (the query service) takes
 * {@code ServiceRuntime.withoutKafka("name", endpoint)} and skips the Kafka parts: same metrics,
 * health (its own checks only), lifecycle lines, {@code Startup} and {@code Shutdown}.
 */
package dev.mediaflow.runtime;
