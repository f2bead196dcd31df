package dev.nanofleet.messaging;

import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.events.MalformedEventException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Feeds events from Kafka topics to an {@link EventHandler} on one thread, in partition order, committing offsets only
 * after the handler succeeded. A failing handler is retried with backoff on the same event (nothing is skipped); a
 * record that is not an event, or an event type this build does not know, is logged and passed over.
 */
public final class EventConsumer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EventConsumer.class);

    private final String name;
    private final Consumer<String, byte[]> consumer;
    private final List<String> topics;
    private final EventHandler handler;
    private volatile boolean running;
    private Thread thread;

    public EventConsumer(String name, Consumer<String, byte[]> consumer, Collection<String> topics,
            EventHandler handler) {
        this.name = name;
        this.consumer = consumer;
        this.topics = List.copyOf(topics);
        this.handler = handler;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name("consumer-" + name).daemon().start(this::loop);
    }

    private void loop() {
        try {
            consumer.subscribe(topics);
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (!running) {
                        return; // offsets of this batch stay uncommitted: redelivered after restart
                    }
                    applyWithRetry(record);
                }
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "consumer %s stopped", name);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void applyWithRetry(ConsumerRecord<String, byte[]> record) {
        Optional<Event<?>> event;
        try {
            event = EventCodec.decode(record.value());
        } catch (MalformedEventException e) {
            LOG.errorf("consumer=%s skipped malformed record topic=%s partition=%d offset=%d: %s", name,
                    record.topic(), record.partition(), record.offset(), e.getMessage());
            return;
        }
        if (event.isEmpty()) {
            LOG.debugf("consumer=%s skipped unknown event type at offset %d", name, record.offset());
            return;
        }
        Duration backoff = Duration.ofMillis(100);
        while (running) {
            try {
                handler.handle(event.get());
                return;
            } catch (Exception e) {
                LOG.warnf("consumer=%s event=%s type=%s failed, retrying in %d ms: %s", name, event.get().id(),
                        event.get().type().typeName(), backoff.toMillis(), OutboxRelay.rootMessage(e));
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = OutboxRelay.min(backoff.multipliedBy(2), Duration.ofSeconds(5));
            }
        }
    }

    @Override
    public void close() {
        Thread stopping;
        synchronized (this) {
            running = false;
            stopping = thread;
        }
        consumer.wakeup();
        if (stopping != null) {
            try {
                stopping.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
