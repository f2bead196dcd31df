package dev.nanofleet.messaging;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.jboss.logging.Logger;

/**
 * Sets aside records a consumer group cannot apply on its own dead-letter topic {@code nanofleet.dlq.<group>.v1}, with
 * the original key and value and headers naming the reason and where the record came from, so an operator can read,
 * fix and replay them. Thread-safe.
 */
public final class DeadLetters {

    public static final String REASON = "nanofleet.dlq.reason";
    public static final String TOPIC = "nanofleet.dlq.topic";
    public static final String PARTITION = "nanofleet.dlq.partition";
    public static final String OFFSET = "nanofleet.dlq.offset";

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    /** Headers travel with the record: a long stack of causes must not push it over the message limit. */
    private static final int MAX_REASON_CHARS = 2000;

    private final Producer<String, byte[]> producer;
    private final String group;
    private final AtomicLong sent = new AtomicLong();

    public DeadLetters(Producer<String, byte[]> producer, String group) {
        this.producer = producer;
        this.group = group;
    }

    public static String topicFor(String group) {
        return "nanofleet.dlq." + group + ".v1";
    }

    /**
     * Publishes the record to the dead-letter topic and waits for Kafka's acknowledgement, so the caller may then
     * commit past it.
     *
     * @throws MessagingException when Kafka does not take it; the caller must then not move past the record
     */
    public void send(ConsumerRecord<String, byte[]> record, String reason) {
        String shortReason = reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) : reason;
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(topicFor(group), record.key(), record.value());
        Headers headers = dead.headers();
        record.headers().forEach(headers::add);
        headers.add(REASON, utf8(shortReason));
        headers.add(TOPIC, utf8(record.topic()));
        headers.add(PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(OFFSET, utf8(Long.toString(record.offset())));
        try {
            producer.send(dead).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingException("interrupted while dead-lettering " + where(record), e);
        } catch (Exception e) {
            throw new MessagingException("cannot dead-letter " + where(record), e);
        }
        sent.incrementAndGet();
        // the reason, never the payload: events may name tenants' data
        LOG.errorf("group=%s dead-lettered %s to %s: %s", group, where(record), topicFor(group), shortReason);
    }

    /** Records set aside since start-up. */
    public long sent() {
        return sent.get();
    }

    public String group() {
        return group;
    }

    private static String where(ConsumerRecord<?, ?> record) {
        return "topic=" + record.topic() + " partition=" + record.partition() + " offset=" + record.offset();
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
