package io.mlops.core.internal.sql;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work done on one JDBC connection.
 *
 * @param <T> the result type
 * @since 0.1.0
 */
@FunctionalInterface
public interface SqlWork<T> {

    /**
     * Does the work.
     *
     * @param connection the connection, inside the caller's transaction when there is one
     * @return the result
     * @throws SQLException when a statement fails
     * @throws IOException when the work fails otherwise
     */
    T run(Connection connection) throws SQLException, IOException;
}
