package dev.nanofleet.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaBrokerIT {

    @Test
    void produces_and_consumes_one_record() throws Exception {
        long start = System.nanoTime();
        KafkaBroker broker = KafkaBroker.shared();
        System.err.printf("Kafka started in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        assertThat(new KafkaTestResource().start()).containsEntry("kafka.bootstrap.servers", broker.bootstrapServers())
                .containsEntry("nanofleet.kafka.bootstrap-servers", broker.bootstrapServers());

        String topic = "it-" + UUID.randomUUID();
        try (var producer = new KafkaProducer<String, String>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "key-1", "hello")).get();
        }
        try (var consumer = new KafkaConsumer<String, String>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, "it-group",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> got = new ArrayList<>();
            Await.until(Duration.ofSeconds(30), "the record to be consumed", () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
                return !got.isEmpty();
            });
            assertThat(got).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo("key-1");
                assertThat(r.value()).isEqualTo("hello");
            });
        }
    }
}
