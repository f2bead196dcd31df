package dev.nanofleet.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresServerIT {

    @Test
    void creates_a_database_and_runs_a_query() throws Exception {
        long start = System.nanoTime();
        PostgresServer pg = PostgresServer.shared();
        System.err.printf("PostgreSQL started in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        String url = pg.createDatabase("it_orders");
        assertThat(pg.createDatabase("it_orders")).as("idempotent").isEqualTo(url);
        assertThat(url).startsWith("jdbc:postgresql://127.0.0.1:");
        try (Connection c = DriverManager.getConnection(url, pg.username(), pg.password());
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id int primary key, name text)");
            st.execute("INSERT INTO t VALUES (1, 'one')");
            try (ResultSet rs = st.executeQuery("SELECT current_database(), name, version() FROM t")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("it_orders");
                assertThat(rs.getString(2)).isEqualTo("one");
                assertThat(rs.getString(3)).startsWith("PostgreSQL 17");
            }
        }
    }

    @Test
    void test_resource_hands_out_a_fresh_database_per_instance() {
        Map<String, String> a = new PostgresTestResource().start();
        Map<String, String> b = new PostgresTestResource().start();
        assertThat(a.get("quarkus.datasource.jdbc.url")).isNotEqualTo(b.get("quarkus.datasource.jdbc.url"));
        assertThat(a).containsEntry("quarkus.datasource.db-kind", "postgresql")
                .containsEntry("quarkus.datasource.username", "postgres")
                .containsEntry("quarkus.datasource.password", "postgres");
    }
}
