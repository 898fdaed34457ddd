package io.kava.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** One connection with its prepared statements, used by one thread at a time. */
final class Sql implements AutoCloseable {
  static final byte[] EMPTY = new byte[0];

  final Connection connection;
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  Sql(Connection connection) {
    this.connection = connection;
  }

  /** The cached statement for {@code sql}, parameters cleared. */
  PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      statements.put(sql, ps);
    } else {
      ps.clearParameters();
    }
    return ps;
  }

  /** sqlite-jdbc may hand back null for a zero-length blob. */
  static byte[] bytes(byte[] b) {
    return b == null ? EMPTY : b;
  }

  @Override
  public void close() {
    for (PreparedStatement ps : statements.values()) {
      try {
        ps.close();
      } catch (SQLException ignored) {
        // closing the connection below releases it anyway
      }
    }
    statements.clear();
    try {
      connection.close();
    } catch (SQLException ignored) {
      // nothing left to release
    }
  }
}
