package dev.nanofleet.messaging;

import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.events.MalformedEventException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Feeds events from Kafka topics to an {@link EventHandler} on one thread, in partition order, committing offsets only
 * after each record was applied or set aside.
 *
 * <p>
 * Nothing blocks a partition for long: a failing handler is retried a bounded number of times with backoff, then the
 * record goes to the group's {@link DeadLetters dead-letter topic}, as does a record that is not an event; an event
 * type this build does not know is passed over. A failure because the database is unreachable is not the event's fault
 * and is retried until the database answers ({@link InfrastructureFailure}); the consumer reports itself stuck
 * meanwhile.
 *
 * <p>
 * Nothing dies silently either: when the Kafka consumer fails (e.g. it was evicted from its group and
 * {@code commitSync} throws) it is closed and replaced by a new one, which resumes from the committed offsets;
 * {@link #health()} reports the consumer down while it is replaced or makes no progress.
 */
public final class EventConsumer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EventConsumer.class);

    private final String name;
    private final Supplier<Consumer<String, byte[]>> newConsumer;
    private final List<String> topics;
    private final EventHandler handler;
    private final DeadLetters deadLetters;
    private final ConsumerSettings settings;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile boolean running;
    private volatile Consumer<String, byte[]> current;
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile Instant lastProgress = Instant.now();
    private volatile boolean restarting;
    private volatile long restarts;
    private volatile String lastError;
    private volatile Instant caughtUpAt;
    private Thread thread;

    /**
     * @param newConsumer makes a Kafka consumer in the group; called at start and again after each failure. The
     *        consumer must not commit automatically.
     */
    public EventConsumer(String name, Supplier<Consumer<String, byte[]>> newConsumer, Collection<String> topics,
            EventHandler handler, DeadLetters deadLetters, ConsumerSettings settings) {
        this.name = name;
        this.newConsumer = newConsumer;
        this.topics = List.copyOf(topics);
        this.handler = handler;
        this.deadLetters = deadLetters;
        this.settings = settings;
    }

    public synchronized void start() {
        if (running || stop.getCount() == 0) {
            return;
        }
        running = true;
        progressed();
        thread = Thread.ofPlatform().name("consumer-" + name).daemon().start(this::superviseConsumers);
    }

    /** Safe from any thread. */
    public ConsumerHealth health() {
        ConsumerHealth.State state;
        if (!running) {
            state = ConsumerHealth.State.STOPPED;
        } else if (restarting) {
            state = ConsumerHealth.State.RESTARTING;
        } else if (System.nanoTime() - lastProgressNanos > settings.stuckAfter().toNanos()) {
            state = ConsumerHealth.State.STUCK;
        } else {
            state = ConsumerHealth.State.RUNNING;
        }
        return new ConsumerHealth(name, state, lastProgress, restarts, lastError);
    }

    /** Runs one Kafka consumer after the other until closed: a consumer that fails is replaced, never abandoned. */
    private void superviseConsumers() {
        int deathsInARow = 0;
        while (running) {
            Consumer<String, byte[]> consumer = null;
            boolean handledSomething = false;
            try {
                consumer = newConsumer.get();
                current = consumer;
                if (!running) {
                    return; // closed while the consumer was made: close() may have missed it for wakeup
                }
                consumer.subscribe(topics);
                restarting = false;
                progressed();
                while (running) {
                    handledSomething |= pollOnce(consumer);
                    deathsInARow = handledSomething ? 0 : deathsInARow;
                }
            } catch (WakeupException e) {
                if (running) {
                    died(e, ++deathsInARow);
                }
            } catch (RuntimeException e) {
                died(e, ++deathsInARow);
            } finally {
                current = null;
                if (consumer != null) {
                    closeQuietly(consumer);
                }
            }
            if (running) {
                await(settings.restartBackoffAfter(deathsInARow));
            }
        }
    }

    /** Returns whether records were applied and committed. */
    private boolean pollOnce(Consumer<String, byte[]> consumer) {
        Instant polledAt = Instant.now();
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
        progressed();
        if (records.isEmpty() && atEnd(consumer)) {
            caughtUpAt = polledAt;
        }
        if (!appliedAllAtOnce(records)) {
            for (ConsumerRecord<String, byte[]> record : records) {
                if (!running) {
                    return false; // offsets of this batch stay uncommitted: redelivered after restart
                }
                apply(record);
                progressed();
            }
        }
        if (records.isEmpty() || !running) {
            return false;
        }
        consumer.commitSync();
        progressed();
        return true;
    }

    /** Whether the consumer holds partitions and has read each to its end, as of its last fetch. */
    private static boolean atEnd(Consumer<String, byte[]> consumer) {
        var assignment = consumer.assignment();
        return !assignment.isEmpty() && assignment.stream().allMatch(partition -> {
            OptionalLong lag = consumer.currentLag(partition);
            return lag.isPresent() && lag.getAsLong() == 0;
        });
    }

    /**
     * The start of the last poll that found every assigned partition read to its end: every record Kafka had received
     * before this moment has been applied or set aside. Null until that happened once. Safe from any thread.
     */
    public Instant caughtUpAt() {
        return caughtUpAt;
    }

    private void died(RuntimeException e, int deathsInARow) {
        restarting = true;
        restarts++;
        lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
        LOG.errorf(e, "consumer %s failed; a new consumer resumes from the committed offsets in %d ms", name,
                settings.restartBackoffAfter(deathsInARow).toMillis());
    }

    /**
     * The fast path of a {@link BatchEventHandler}: every record of the poll in one call. Returns false (and has
     * changed nothing) when the handler is not one, a record is not an event, or the batch failed: then each record
     * takes the one-at-a-time path with its retries and dead letters.
     */
    private boolean appliedAllAtOnce(ConsumerRecords<String, byte[]> records) {
        if (!(handler instanceof BatchEventHandler batch) || records.count() < 2 || !running) {
            return false;
        }
        List<BatchEventHandler.Delivery> deliveries = new ArrayList<>(records.count());
        try {
            for (ConsumerRecord<String, byte[]> record : records) {
                EventCodec.decode(record.value()).ifPresent(event -> deliveries
                        .add(new BatchEventHandler.Delivery(event, Instant.ofEpochMilli(record.timestamp()))));
            }
        } catch (MalformedEventException e) {
            return false;
        }
        try {
            batch.handleAll(deliveries);
            progressed();
            return true;
        } catch (Exception e) {
            LOG.warnf("consumer=%s a batch of %d events failed (%s); applying them one at a time", name,
                    deliveries.size(), OutboxRelay.rootMessage(e));
            return false;
        }
    }

    /**
     * Applies one record, or sets it aside on the dead-letter topic. Throws only when setting aside fails, so the
     * record is not committed past.
     */
    private void apply(ConsumerRecord<String, byte[]> record) {
        Optional<Event<?>> event;
        try {
            event = EventCodec.decode(record.value());
        } catch (MalformedEventException e) {
            deadLetters.send(record, "malformed record: " + e.getMessage());
            return;
        }
        if (event.isEmpty()) {
            LOG.debugf("consumer=%s skipped unknown event type at offset %d", name, record.offset());
            return;
        }
        int counted = 0;
        for (int attempt = 1; running; attempt++) {
            try {
                handler.handle(event.get(), Instant.ofEpochMilli(record.timestamp()));
                return;
            } catch (Exception e) {
                String reason = e.getClass().getName() + ": " + OutboxRelay.rootMessage(e);
                boolean infrastructure = InfrastructureFailure.isCauseOf(e);
                if (!infrastructure && ++counted >= settings.handlerAttempts()) {
                    deadLetters.send(record, "handler failed " + counted + " times on event " + event.get().id()
                            + " type=" + event.get().type().typeName() + ": " + reason);
                    return;
                }
                Duration backoff = settings.backoffAfter(attempt);
                LOG.warnf("consumer=%s event=%s type=%s failed (%s), retrying in %d ms: %s", name, event.get().id(),
                        event.get().type().typeName(),
                        infrastructure
                                ? "database unreachable, not counted"
                                : "attempt " + counted + " of " + settings.handlerAttempts(),
                        backoff.toMillis(), reason);
                await(backoff);
            }
        }
    }

    private void progressed() {
        lastProgressNanos = System.nanoTime();
        lastProgress = Instant.now();
    }

    /** Sleeps, but returns at once when the consumer is closed. */
    private void await(Duration duration) {
        try {
            stop.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void closeQuietly(Consumer<String, byte[]> consumer) {
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warnf("consumer %s did not close cleanly: %s", name, e.getMessage());
        }
    }

    @Override
    public void close() {
        Thread stopping;
        synchronized (this) {
            running = false;
            stopping = thread;
        }
        stop.countDown();
        Consumer<String, byte[]> polling = current;
        if (polling != null) {
            polling.wakeup();
        }
        if (stopping != null) {
            try {
                stopping.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
