package dev.nanofleet.messaging;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows to Kafka in commit order and deletes them once Kafka acknowledged them. Delivery is at least
 * once: a crash between the acknowledgement and the delete publishes a row again, which consumers absorb because they
 * remember event ids.
 *
 * <p>
 * One background thread; {@link #wake()} may be called from any thread. Rows are locked with
 * {@code FOR UPDATE SKIP LOCKED}, so two relays on one database never publish the same row at once.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 500;
    private static final String SELECT = """
            SELECT seq, topic, aggregate_id, payload FROM outbox_event ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED""";

    private final DataSource dataSource;
    private final Producer<String, byte[]> producer;
    private final Duration pollInterval;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private volatile boolean woken;
    private volatile boolean running;
    private Thread thread;

    public OutboxRelay(DataSource dataSource, Producer<String, byte[]> producer, Duration pollInterval) {
        this.dataSource = dataSource;
        this.producer = producer;
        this.pollInterval = pollInterval;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name("outbox-relay").daemon().start(this::loop);
    }

    /** Asks the relay to look at the outbox now rather than at its next poll. */
    public void wake() {
        lock.lock();
        try {
            woken = true;
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Publishes one batch and returns how many events it published. The background thread calls it; tests may too.
     */
    public int relayBatch() {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                int published = publishLockedRows(connection);
                connection.commit();
                return published;
            } catch (RuntimeException | SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new MessagingException("outbox relay cannot read the outbox", e);
        }
    }

    private int publishLockedRows(Connection connection) throws SQLException {
        List<Long> sequences = new ArrayList<>();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(SELECT)) {
            select.setInt(1, BATCH);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    sequences.add(rows.getLong(1));
                    acks.add(producer
                            .send(new ProducerRecord<>(rows.getString(2), rows.getString(3), rows.getBytes(4))));
                }
            }
        }
        if (sequences.isEmpty()) {
            return 0;
        }
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MessagingException("interrupted while publishing the outbox", e);
            } catch (Exception e) {
                throw new MessagingException("Kafka did not acknowledge an outbox event", e);
            }
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM outbox_event WHERE seq = ANY (?)")) {
            Array array = connection.createArrayOf("bigint", sequences.toArray());
            delete.setArray(1, array);
            delete.executeUpdate();
        }
        return sequences.size();
    }

    private void loop() {
        Duration backoff = Duration.ZERO;
        while (running) {
            try {
                int published = relayBatch();
                backoff = Duration.ZERO;
                if (published == BATCH) {
                    continue; // more may be waiting
                }
                if (published > 0) {
                    LOG.debugf("outbox relay published=%d", published);
                }
                awaitWork(pollInterval);
            } catch (RuntimeException e) {
                backoff = backoff.isZero()
                        ? Duration.ofMillis(200)
                        : min(backoff.multipliedBy(2), Duration.ofSeconds(5));
                LOG.warnf("outbox relay failed, retrying in %d ms: %s", backoff.toMillis(), rootMessage(e));
                awaitWork(backoff);
            }
        }
    }

    private void awaitWork(Duration timeout) {
        lock.lock();
        try {
            if (!woken && running) {
                work.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            woken = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        Thread stopping;
        synchronized (this) {
            running = false;
            stopping = thread;
        }
        wake();
        if (stopping != null) {
            try {
                stopping.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return e.getMessage() + (root != e ? " (" + root + ")" : "");
    }
}
