package dev.mediaflow.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh database on the PostgreSQL server at 127.0.0.1:5432 (reached as {@code postgres}
 * through trust auth), owned by the role the compose file's services log in as, so the services
 * connect with exactly the user and password the file gives them. Dropped on close.
 */
public final class LocalPostgres implements AutoCloseable {
  /** The administrative connection: the server's {@code test} database as {@code postgres}. */
  public static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  private final String database;
  private final String user;
  private final String password;

  private LocalPostgres(String database, String user, String password) {
    this.database = database;
    this.user = user;
    this.password = password;
  }

  /**
   * Creates the role if it does not exist yet and a new database it owns.
   *
   * @param user the compose file's database user
   * @param password its password
   * @return the database
   * @throws SQLException if the server cannot be reached (callers skip with a message then)
   */
  public static LocalPostgres create(String user, String password) throws SQLException {
    String database = "mediaflow_cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    try (Connection c = DriverManager.getConnection(SERVER); Statement s = c.createStatement()) {
      try {
        s.execute("CREATE ROLE " + identifier(user) + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
      } catch (SQLException e) {
        if (!"42710".equals(e.getSQLState())) { // duplicate_object: made by an earlier run
          throw e;
        }
      }
      s.execute("CREATE DATABASE " + database + " OWNER " + identifier(user));
    }
    return new LocalPostgres(database, user, password);
  }

  /** @return the database's name */
  public String database() {
    return database;
  }

  /** @return a JDBC URL of the database that carries the compose file's user and password */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:5432/" + database + "?user=" + user + "&password=" + password;
  }

  /** Drops the database (connections still open are ended). */
  @Override
  public void close() {
    try (Connection c = DriverManager.getConnection(SERVER); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    } catch (SQLException e) {
      System.err.println("cannot drop database " + database + ": " + e.getMessage());
    }
  }

  private static String identifier(String name) {
    if (!name.toLowerCase(Locale.ROOT).matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("not a plain SQL identifier: " + name);
    }
    return name;
  }
}
