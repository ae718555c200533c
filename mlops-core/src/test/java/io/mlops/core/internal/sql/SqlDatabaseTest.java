package io.mlops.core.internal.sql;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the JDBC stores' messages say about where a database is (the stores themselves are tested in mlops-test). */
class SqlDatabaseTest {

    @Test
    void messagesNeverCarryAPassword() {
        assertThat(SqlDatabase.withoutSecrets("jdbc:postgresql://db:5432/mlops?user=svc&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/mlops?user=svc&password=***&ssl=true");
        assertThat(SqlDatabase.withoutSecrets("jdbc:postgresql://db/mlops?PASSWORD=x"))
                .isEqualTo("jdbc:postgresql://db/mlops?PASSWORD=***");
        assertThat(SqlDatabase.withoutSecrets("jdbc:sqlite:/var/lib/mlops.db")).isEqualTo("jdbc:sqlite:/var/lib/mlops.db");
    }
}
