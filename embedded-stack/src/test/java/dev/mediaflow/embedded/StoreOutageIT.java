package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mediaflow.infra.FreePort;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Takes the S3 endpoint down, and separately the SQL store (PostgreSQL behind a proxy that is
 * cut), for a minute each while items keep coming, then checks that everything arrives once
 * the store is back: the sink retries the same item with backoff and skips nothing.
 * The outage lasts {@code -Dmediaflow.it.outage.seconds} (default 60).
 */
class StoreOutageIT {
  static final String PROJECT = "outage";
  static final int ITEMS = 40;
  static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("mediaflow.it.outage.seconds", 60));
  static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  @TempDir
  static Path dataDir;

  static TcpProxy postgres;
  static String schema;
  static EmbeddedStack stack;
  static StackInspector inspector;
  static ItemSender sender;

  @BeforeAll
  static void start() throws Exception {
    schema = "outage_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(SERVER); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      System.err.println("SKIPPED: PostgreSQL at 127.0.0.1:5432 is unreachable: " + e.getMessage());
      assumeTrue(false, "PostgreSQL at 127.0.0.1:5432 is unreachable: " + e.getMessage());
    }
    postgres = new TcpProxy(FreePort.find(), 5432).start();
    String viaProxy = "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/test?user=postgres&currentSchema=" + schema
        + "&connectTimeout=5&socketTimeout=10";
    stack = EmbeddedStack.start(dataDir, viaProxy, line -> System.out.println("[stack] " + line));
    inspector = new StackInspector(stack);
    sender = new ItemSender(stack);
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      sender.close();
      inspector.close();
      stack.close();
      postgres.close();
    }
  }

  @Test
  void shouldStoreEverythingOnceS3ComesBackAfterAMinute() throws Exception {
    // Given S3 is down
    String run = "s3-down";
    stack.s3().stop();

    // When items arrive during the outage
    assertThat(sender.send(PROJECT, run, ITEMS, 20).get(1, TimeUnit.MINUTES)).isEqualTo(ITEMS);
    Thread.sleep(OUTAGE.toMillis());
    long rowsDuringOutage = rows(run);
    stack.s3().restart();

    // Then nothing was half-written (no row without its object) and everything arrives after
    assertThat(rowsDuringOutage).isZero();
    awaitRows(run, ITEMS);
    assertThat(inspector.objectKeys("media/" + PROJECT + "/" + run + "/")).hasSize(ITEMS);
    System.out.printf("[figures] %s for %d s: sent %d, rows during outage %d, rows after %d%n",
        run, OUTAGE.toSeconds(), ITEMS, rowsDuringOutage, rows(run));
  }

  @Test
  void shouldStoreEverythingOnceTheSqlStoreComesBackAfterAMinute() throws Exception {
    String run = "sql-down";
    postgres.stop();

    assertThat(sender.send(PROJECT, run, ITEMS, 20).get(1, TimeUnit.MINUTES)).isEqualTo(ITEMS);
    Thread.sleep(OUTAGE.toMillis());
    long rowsDuringOutage = rows(run);
    postgres.start();

    assertThat(rowsDuringOutage).isZero();
    awaitRows(run, ITEMS);
    assertThat(inspector.objectKeys("media/" + PROJECT + "/" + run + "/")).hasSize(ITEMS);
    System.out.printf("[figures] %s for %d s: sent %d, rows during outage %d, rows after %d%n",
        run, OUTAGE.toSeconds(), ITEMS, rowsDuringOutage, rows(run));
  }

  /** Counts straight at the server, not through the proxy, so the count works during the outage. */
  static long rows(String run) throws SQLException {
    try (Connection c = DriverManager.getConnection(SERVER + "&currentSchema=" + schema);
        var q = c.prepareStatement("SELECT COUNT(*) FROM media_item WHERE project = ? AND run = ?")) {
      q.setString(1, PROJECT);
      q.setString(2, run);
      try (var rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static void awaitRows(String run, int expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (rows(run) < expected && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    assertThat(rows(run)).isEqualTo(expected);
  }
}
