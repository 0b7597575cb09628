package dev.mediaflow.query.store;

import dev.mediaflow.metadata.MetadataDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A few idle autocommit connections kept for reuse: opening one costs milliseconds (a PostgreSQL
 * handshake; SQLite's pragmas), more than the API's queries themselves. A connection that failed
 * a statement is closed, never returned, so a restarted database costs one failed request.
 */
final class ConnectionPool implements AutoCloseable {
  private final MetadataDatabase database;
  private final int maxIdle;
  private final Deque<Connection> idle = new ArrayDeque<>();
  private boolean closed;

  ConnectionPool(MetadataDatabase database, int maxIdle) {
    this.database = database;
    this.maxIdle = maxIdle;
  }

  Connection borrow() throws SQLException {
    synchronized (this) {
      Connection c = idle.pollFirst();
      if (c != null) {
        return c;
      }
    }
    return database.connect();
  }

  /** Gives back a connection whose statement succeeded; one beyond {@code maxIdle} is closed. */
  void giveBack(Connection c) {
    synchronized (this) {
      if (!closed && idle.size() < maxIdle) {
        idle.addFirst(c);
        return;
      }
    }
    discard(c);
  }

  static void discard(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // already broken: nothing to release
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    idle.forEach(ConnectionPool::discard);
    idle.clear();
  }
}
