package dev.nanofleet.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh database on the JVM's shared embedded PostgreSQL for each test resource instance.
 *
 * <p>
 * Returns {@code quarkus.datasource.db-kind=postgresql}, {@code quarkus.datasource.jdbc.url},
 * {@code quarkus.datasource.username} and {@code quarkus.datasource.password}. Init arg
 * {@code database} picks the database name (created if missing) instead of a generated one.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private String database;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.get("database");
    }

    @Override
    public Map<String, String> start() {
        PostgresServer pg = PostgresServer.shared();
        String name = database != null
                ? database
                : "test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        String url = pg.createDatabase(name);
        return Map.of("quarkus.datasource.db-kind", "postgresql", "quarkus.datasource.jdbc.url", url,
                "quarkus.datasource.username",
                pg.username(), "quarkus.datasource.password", pg.password());
    }

    @Override
    public void stop() {
        // the server is shared by the JVM and stopped on exit
    }
}
