package dev.nanofleet.messaging;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows to Kafka in commit order and deletes them once Kafka acknowledged them. Delivery is at least
 * once: a crash between the acknowledgement and the delete publishes a row again, which consumers absorb because they
 * remember event ids.
 *
 * <p>
 * A row Kafka will never take (over its message limit, or refused past bounded retries while other rows go through) is
 * moved to {@code outbox_parked} with its reason, an ERROR log line and a count ({@link #parked()}), and the rows after
 * it are published: one bad row must not stop every event of the platform.
 *
 * <p>
 * One background thread; {@link #wake()} may be called from any thread. Rows are locked with
 * {@code FOR UPDATE SKIP LOCKED}, so two relays on one database never publish the same row at once.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 500;
    private static final String SELECT = """
            SELECT seq, id, topic, aggregate_id, type, payload FROM outbox_event ORDER BY seq LIMIT ?
            FOR UPDATE SKIP LOCKED""";
    private static final String PARK = """
            WITH moved AS (DELETE FROM outbox_event WHERE seq = ? RETURNING *)
            INSERT INTO outbox_parked (seq, id, topic, aggregate_id, type, payload, created_at, reason)
            SELECT seq, id, topic, aggregate_id, type, payload, created_at, ? FROM moved""";

    private final DataSource dataSource;
    private final Producer<String, byte[]> producer;
    private final Duration pollInterval;
    private final int maxAttempts;
    /** Failed publications per row, while Kafka took other rows; only the relay thread touches it. */
    private final Map<Long, Integer> failures = new HashMap<>();
    private final AtomicLong parked = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private volatile boolean woken;
    private volatile boolean running;
    private Thread thread;

    public OutboxRelay(DataSource dataSource, Producer<String, byte[]> producer, Duration pollInterval) {
        this(dataSource, producer, pollInterval, 5);
    }

    /**
     * @param maxAttempts publications of a row that Kafka refuses with a retriable error, while it takes other rows,
     *        before the row is set aside; a row refused for good (e.g. over the message limit) is set aside at once
     */
    public OutboxRelay(DataSource dataSource, Producer<String, byte[]> producer, Duration pollInterval,
            int maxAttempts) {
        this.dataSource = dataSource;
        this.producer = producer;
        this.pollInterval = pollInterval;
        this.maxAttempts = maxAttempts;
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
     * Publishes one batch, sets aside the rows Kafka will not take, and returns how many events it published. The
     * background thread calls it; tests may too.
     *
     * @throws MessagingException when Kafka refused rows it may take later (after committing what it took)
     */
    public int relayBatch() {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                BatchResult result = publishLockedRows(connection);
                connection.commit();
                if (result.retryLater() != null) {
                    throw result.retryLater(); // after the commit: what was published is not published again
                }
                return result.published();
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

    private BatchResult publishLockedRows(Connection connection) throws SQLException {
        List<Sent> sent = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(SELECT)) {
            select.setInt(1, BATCH);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    byte[] payload = rows.getBytes(6);
                    sent.add(new Sent(rows.getLong(1), rows.getObject(2, UUID.class), rows.getString(3),
                            rows.getString(5), payload.length,
                            send(new ProducerRecord<>(rows.getString(3), rows.getString(4), payload))));
                }
            }
        }
        if (sent.isEmpty()) {
            return new BatchResult(0, null);
        }
        producer.flush();
        List<Long> published = new ArrayList<>();
        List<Sent> retry = new ArrayList<>();
        Map<Sent, Throwable> refused = new LinkedHashMap<>();
        for (Sent row : sent) {
            Throwable failure = acknowledgement(row.ack());
            if (failure == null) {
                published.add(row.seq());
                failures.remove(row.seq());
            } else if (!(failure instanceof RetriableException)) {
                refused.put(row, failure); // e.g. over the message limit: no retry will ever change that
            } else {
                retry.add(row);
                refused.put(row, failure);
            }
        }
        MessagingException retryLater = null;
        for (Sent row : retry) {
            // a retriable failure counts against the row only while Kafka takes other rows: during an outage every
            // row fails, and nothing may be set aside for that
            int attempts = published.isEmpty()
                    ? failures.getOrDefault(row.seq(), 0)
                    : failures.merge(row.seq(), 1,
                            Integer::sum);
            if (attempts < maxAttempts) {
                Throwable failure = refused.remove(row);
                if (retryLater == null) {
                    retryLater = new MessagingException("Kafka did not acknowledge outbox event " + row.id(), failure);
                }
            }
        }
        delete(connection, published);
        for (Map.Entry<Sent, Throwable> parked : refused.entrySet()) {
            park(connection, parked.getKey(), parked.getValue());
        }
        return new BatchResult(published.size(), retryLater);
    }

    private Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
        try {
            return producer.send(record);
        } catch (KafkaException e) {
            return CompletableFuture.failedFuture(e); // some refusals are thrown rather than returned
        }
    }

    /** Returns why Kafka did not take the record, or null when it did. */
    private static Throwable acknowledgement(Future<RecordMetadata> ack) {
        try {
            ack.get(30, TimeUnit.SECONDS);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingException("interrupted while publishing the outbox", e);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            return new org.apache.kafka.common.errors.TimeoutException("no acknowledgement within 30 s", e);
        }
    }

    private static void delete(Connection connection, List<Long> sequences) throws SQLException {
        if (sequences.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM outbox_event WHERE seq = ANY (?)")) {
            Array array = connection.createArrayOf("bigint", sequences.toArray());
            delete.setArray(1, array);
            delete.executeUpdate();
        }
    }

    private void park(Connection connection, Sent row, Throwable failure) throws SQLException {
        String reason = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        try (PreparedStatement move = connection.prepareStatement(PARK)) {
            move.setLong(1, row.seq());
            move.setString(2, reason);
            move.executeUpdate();
        }
        failures.remove(row.seq());
        parked.incrementAndGet();
        // what and why, never the payload: it may carry tenants' data
        LOG.errorf("outbox relay set aside event %s type=%s topic=%s bytes=%d into outbox_parked: %s", row.id(),
                row.type(), row.topic(), row.bytes(), reason);
    }

    /** Rows set aside since start-up. */
    public long parked() {
        return parked.get();
    }

    /** Rows in {@code outbox_parked} now, waiting for an operator; -1 when the database does not answer. */
    public long parkedRows() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM outbox_parked");
                ResultSet rows = count.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    private record Sent(long seq, UUID id, String topic, String type, int bytes, Future<RecordMetadata> ack) {
    }

    private record BatchResult(int published, MessagingException retryLater) {
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
