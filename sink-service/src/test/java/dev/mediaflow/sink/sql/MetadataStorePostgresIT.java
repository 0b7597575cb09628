package dev.mediaflow.sink.sql;

import static dev.mediaflow.sink.TestEvents.identity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.sink.MediaRows;
import dev.mediaflow.sink.ObjectKeys;
import dev.mediaflow.sink.StoreFailure;
import dev.mediaflow.sink.TestEvents;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The contract against a real PostgreSQL server: by default {@code 127.0.0.1:5432}, database
 * {@code test}, user {@code postgres} (override with {@code -Dmediaflow.it.postgres.url=…} /
 * {@code .user} / {@code .password}, or {@code MEDIAFLOW_IT_POSTGRES_URL} etc.).
 *
 * <p>Each test gets its own schema, dropped afterwards, so concurrent runs do not meet. When no
 * server answers, the tests are skipped with a warning, unless
 * {@code mediaflow.it.postgres.required=true} (CI) turns that into a failure.
 */
class MetadataStorePostgresIT extends MetadataStoreContract {

  private static final Logger LOG = LoggerFactory.getLogger(MetadataStorePostgresIT.class);
  private static final String URL = setting("url", "jdbc:postgresql://127.0.0.1:5432/test");
  private static final String USER = setting("user", "postgres");
  private static final String PASSWORD = setting("password", null);
  private static final String RUN_ID = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private static final List<String> SCHEMAS = new ArrayList<>();
  private static String skipReason;

  private String schema;

  @BeforeAll
  static void requirePostgres() {
    try (Connection probe = connect()) {
      LOG.info("Running against PostgreSQL {} at {}", probe.getMetaData().getDatabaseProductVersion(), URL);
    } catch (SQLException e) {
      boolean unreachable = e.getSQLState() != null && e.getSQLState().startsWith("08");
      if (!unreachable || Boolean.parseBoolean(setting("required", "false"))) {
        fail("PostgreSQL at " + URL + " is not usable: " + e.getMessage(), e);
      }
      skipReason = "SKIPPING MetadataStorePostgresIT: no PostgreSQL at " + URL + " (" + e.getMessage() + ")";
      LOG.warn(skipReason);
    }
  }

  @AfterAll
  static void dropSchemas() throws SQLException {
    if (SCHEMAS.isEmpty()) {
      return;
    }
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      for (String name : SCHEMAS) {
        statement.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
      }
    }
  }

  @Override
  protected void createEmptyDatabase() {
    // per test rather than per class, so the report counts every test as skipped
    Assumptions.assumeTrue(skipReason == null, skipReason);
    schema = "it_sink_" + RUN_ID + "_" + SCHEMAS.size();
    SCHEMAS.add(schema);
  }

  @Override
  protected MetadataStore openStore() {
    return new MetadataStore(URL, USER, PASSWORD, schema);
  }

  @Override
  protected Connection reader() throws SQLException {
    Connection connection = connect();
    connection.setSchema(schema);
    return connection;
  }

  @Test
  void shouldCreateTheTableAndHistoryInTheConfiguredSchema() throws SQLException {
    // Given the store opened the schema (see setup)

    // When
    List<String> tables = new ArrayList<>();
    try (Connection connection = connect();
        PreparedStatement query = connection.prepareStatement(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY 1")) {
      query.setString(1, schema);
      try (ResultSet result = query.executeQuery()) {
        while (result.next()) {
          tables.add(result.getString(1));
        }
      }
    }

    // Then
    assertThat(tables).containsExactly("api_key", "flyway_schema_history", "histogram_bin", "media_box",
        "media_box_score", "media_class", "media_facts", "media_item", "run_summary");
  }

  @Test
  void shouldFailOnceAndSucceedOnRetryWhenTheServerDroppedTheConnection() throws SQLException {
    // Given a store whose connection the server terminates (as on a failover or restart)
    String application = "mediaflow-it-" + schema;
    store.close();
    store = new MetadataStore(URL + (URL.contains("?") ? "&" : "?") + "ApplicationName=" + application, USER,
        PASSWORD, schema);
    ProcessedMedia event = TestEvents.image(identity());
    MediaRow row = MediaRows.from(event, new ObjectKeys().keysFor(event), 1L);
    store.upsert(row);
    terminateConnectionsOf(application);

    // When
    Throwable firstAttempt = catchThrowable(() -> store.upsert(row));
    store.upsert(row);

    // Then
    assertThat(firstAttempt).isInstanceOf(MetadataStoreException.class);
    assertThat(StoreFailure.classify(firstAttempt).kind()).isEqualTo(StoreFailure.Kind.TRANSIENT);
    assertThat(store.find(identity())).contains(row);
  }

  @Test
  void shouldRefuseARowWithANulCharacterForGoodAndStoreTheNextRow() {
    // Given a caption with U+0000, which PostgreSQL text cannot hold
    ProcessedMedia refused = TestEvents.image(identity("vision", "run-1", "nul", 1, 0));
    refused.getImage().setCaption("before\u0000after");
    ProcessedMedia next = TestEvents.image(identity("vision", "run-1", "next", 1, 0));

    // When
    Throwable refusal = catchThrowable(() -> store.upsert(MediaRows.from(refused, new ObjectKeys().keysFor(refused), 1L)));
    store.upsert(MediaRows.from(next, new ObjectKeys().keysFor(next), 1L));

    // Then the server's SQLState (class 22, data exception) makes it permanent; the store goes on
    StoreFailure failure = StoreFailure.classify(refusal);
    assertThat(failure.kind()).as(failure.reason()).isEqualTo(StoreFailure.Kind.PERMANENT);
    assertThat(failure.reason()).contains("SQLState 22");
    assertThat(store.count()).isEqualTo(1);
  }

  private static void terminateConnectionsOf(String application) throws SQLException {
    try (Connection connection = connect();
        PreparedStatement terminate = connection.prepareStatement(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?")) {
      terminate.setString(1, application);
      try (ResultSet result = terminate.executeQuery()) {
        assertThat(result.next()).as("a connection named %s", application).isTrue();
      }
    }
  }

  private static Connection connect() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", USER);
    if (PASSWORD != null) {
      properties.setProperty("password", PASSWORD);
    }
    properties.setProperty("connectTimeout", "5");
    return DriverManager.getConnection(URL, properties);
  }

  private static String setting(String name, String fallback) {
    String property = System.getProperty("mediaflow.it.postgres." + name);
    if (property != null) {
      return property;
    }
    String env = System.getenv("MEDIAFLOW_IT_POSTGRES_" + name.toUpperCase(java.util.Locale.ROOT));
    return env != null ? env : fallback;
  }
}
