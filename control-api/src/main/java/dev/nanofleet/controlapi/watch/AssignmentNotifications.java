package dev.nanofleet.controlapi.watch;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Listens on PostgreSQL's {@value #CHANNEL} channel, where the instance table's trigger (migration V1_13) names the
 * nodes whose assignments a committed transaction changed, and wakes those nodes' watch streams. Every replica listens,
 * so a change made by any replica (an API call, a placement event, a node's report) reaches the stream wherever the
 * node holds it, and no code path can forget to announce a change.
 *
 * <p>
 * One daemon thread with one JDBC connection of its own (not from the pool: it is held for good, and LISTEN belongs to
 * a session). When the connection fails the thread opens a new one after a back-off ({@code listen-retry} doubling to
 * 30 s) and then wakes every stream, since notifications sent in between are lost; the agents' periodic full fetch
 * covers the time in between anyway. A {@code SELECT 1} every {@link #PROBE_EVERY} of silence notices a connection
 * that died without a word.
 */
@ApplicationScoped
public class AssignmentNotifications {

    /** The channel the trigger notifies; the payload is a node name. */
    public static final String CHANNEL = "nanofleet_assignments";
    static final Duration PROBE_EVERY = Duration.ofSeconds(30);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(AssignmentNotifications.class);

    private final AssignmentWatches watches;
    private final AssignmentWatchConfig config;
    private final String url;
    private final Optional<String> username;
    private final Optional<String> password;
    private volatile boolean stopping;
    private volatile boolean listening;
    private volatile Connection connection;
    private Thread thread;

    AssignmentNotifications(AssignmentWatches watches, AssignmentWatchConfig config, MeterRegistry registry,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.watches = watches;
        this.config = config;
        this.url = url;
        this.username = username;
        this.password = password;
        Gauge.builder("nanofleet.assignment.notifications.listening", this, n -> n.listening ? 1 : 0)
                .description("1 while this replica listens for assignment changes in PostgreSQL").register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        thread = new Thread(this::run, "assignment-notifications");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing to stop: nothing to do about it
            }
        }
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Whether the LISTEN connection is up (for tests and health). */
    public boolean listening() {
        return listening;
    }

    private void run() {
        Duration retry = config.listenRetry();
        while (!stopping) {
            try (Connection c = connect()) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                listening = true;
                retry = config.listenRetry();
                LOG.infof("listening for assignment changes on channel=%s", CHANNEL);
                // whatever was notified while no connection listened is lost: let every agent fetch once
                watches.changedEverywhere();
                listen(c);
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (stopping) {
                    return;
                }
                LOG.warnf("assignment notifications interrupted (retry in %d ms): %s", retry.toMillis(),
                        e.getMessage());
                try {
                    Thread.sleep(retry.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
                retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
            } finally {
                listening = false;
                connection = null;
            }
        }
    }

    private void listen(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        long quietSince = System.nanoTime();
        while (!stopping) {
            PGNotification[] notifications = pg.getNotifications(1000);
            if (notifications != null && notifications.length > 0) {
                Set<String> nodes = new TreeSet<>();
                for (PGNotification n : notifications) {
                    nodes.add(n.getParameter());
                }
                watches.changed(nodes);
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > PROBE_EVERY.toNanos()) {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT 1");
                }
                quietSince = System.nanoTime();
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        username.ifPresent(u -> props.setProperty("user", u));
        password.ifPresent(p -> props.setProperty("password", p));
        props.setProperty("ApplicationName", "control-api assignment notifications");
        props.setProperty("tcpKeepAlive", "true");
        Connection c = new org.postgresql.Driver().connect(url, props);
        if (c == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + url);
        }
        return c;
    }
}
