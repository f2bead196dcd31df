package dev.nanofleet.messaging;

import dev.nanofleet.testsupport.PostgresServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.postgresql.ds.PGSimpleDataSource;

/** A database of its own for one test class, with the messaging migrations applied in order, as Flyway would. */
final class MessagingDatabase {

    private static final List<String> MIGRATIONS = List.of("V0_1__messaging.sql", "V0_2__outbox_parked.sql");

    private MessagingDatabase() {
    }

    static PGSimpleDataSource create(String name) throws Exception {
        PostgresServer postgres = PostgresServer.shared();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(postgres.createDatabase(name));
        dataSource.setUser(postgres.username());
        dataSource.setPassword(postgres.password());
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS outbox_event, processed_event, outbox_parked");
            for (String migration : MIGRATIONS) {
                try (InputStream sql = MessagingDatabase.class.getResourceAsStream("/db/messaging/" + migration)) {
                    if (sql != null) {
                        s.execute(new String(sql.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return dataSource;
    }
}
