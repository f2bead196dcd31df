package dev.nanofleet.tenantbilling.meter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.InstanceStateChanged;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.events.Topics;
import dev.nanofleet.messaging.ConsumerSettings;
import dev.nanofleet.messaging.EventHandler;
import dev.nanofleet.messaging.KafkaClients;
import dev.nanofleet.messaging.ServiceMessaging;
import dev.nanofleet.tenantbilling.rating.FixedPeriods;
import dev.nanofleet.tenantbilling.rating.FreeGrant;
import dev.nanofleet.tenantbilling.rating.Invoice;
import dev.nanofleet.tenantbilling.rating.Invoicing;
import dev.nanofleet.tenantbilling.rating.MeterEvent;
import dev.nanofleet.tenantbilling.rating.Period;
import dev.nanofleet.tenantbilling.rating.PriceList;
import dev.nanofleet.tenantbilling.rating.PriceVersion;
import dev.nanofleet.tenantbilling.rating.Rates;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KafkaBroker;
import dev.nanofleet.testsupport.PostgresServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The meter's consumer is stopped in the middle of a batch, so the records it applied after the last commit come
 * again to the consumer that takes over: the facts in PostgreSQL, and the invoice rated from them, are exactly those
 * of the events sent, none counted twice and none lost. Real Kafka and PostgreSQL; the service's own wiring
 * ({@link ServiceMessaging}, {@link BillingEventHandler}, {@link MeterStore}) on a database of its own.
 */
class ConsumerKilledIT {

    private static final Resources RESOURCES = new Resources(250, 128);
    private static final int INSTANCES = 150;

    @Test
    void a_consumer_stopped_mid_batch_and_replaced_counts_nothing_twice() throws Exception {
        PGSimpleDataSource dataSource = database();
        MeterStore store = new MeterStore(dataSource);
        BillingEventHandler meter = new BillingEventHandler(store, new SimpleMeterRegistry());
        String bootstrap = KafkaBroker.shared().bootstrapServers();
        String tenant = "killed-" + UUID.randomUUID().toString().substring(0, 8);
        String group = "billing-killed-" + tenant;

        Instant base = Instant.parse("2026-03-01T10:00:00Z");
        List<Event<?>> sent = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            UUID instance = UUID.randomUUID();
            UUID deployment = UUID.randomUUID();
            sent.add(state(tenant, deployment, instance, InstanceState.RUNNING, base.plusSeconds(i % 7)));
            sent.add(state(tenant, deployment, instance, InstanceState.STOPPED, base.plusSeconds(60 + i % 11)));
        }
        try (Producer<String, byte[]> producer = KafkaClients.producer(bootstrap, "killed-it")) {
            for (Event<?> event : sent) {
                producer.send(new ProducerRecord<>(Topics.INSTANCES, event.partitionKey(), EventCodec.encode(event)));
            }
            producer.flush();
        }

        // the first consumer is stopped after a third of the events, in the middle of whatever batch it holds
        Set<UUID> applied = ConcurrentHashMap.newKeySet();
        AtomicInteger redelivered = new AtomicInteger();
        CountDownLatch aThirdApplied = new CountDownLatch(sent.size() / 3);
        EventHandler counting = new EventHandler() {
            @Override
            public void handle(Event<?> event) {
                handle(event, event.time());
            }

            @Override
            public void handle(Event<?> event, Instant publishedAt) {
                meter.handle(event, publishedAt);
                if (tenant.equals(event.tenant())) {
                    if (!applied.add(event.id())) {
                        redelivered.incrementAndGet();
                    }
                    aThirdApplied.countDown();
                }
            }
        };
        ServiceMessaging first = start(dataSource, bootstrap, group, counting);
        assertThat(aThirdApplied.await(60, TimeUnit.SECONDS)).as("a third of the events applied").isTrue();
        first.close();
        assertThat(applied.size()).isLessThan(sent.size());

        try (ServiceMessaging second = start(dataSource, bootstrap, group, counting)) {
            Await.until(Duration.ofSeconds(60), "every event applied", () -> tenantFacts(store, tenant)
                    .size() == sent.size());
        }

        List<MeterEvent> stored = tenantFacts(store, tenant);
        assertThat(stored).hasSize(sent.size());
        assertThat(redelivered.get()).as("records applied but not committed come again").isPositive();
        FixedPeriods hours = new FixedPeriods(Duration.ofHours(1));
        // a grace long enough that every fact is known to the invoice, whenever Kafka took it
        Invoicing invoicing = new Invoicing(hours, Duration.ofDays(3650), prices(), FreeGrant.NONE);
        Period hour = hours.containing(base);
        List<MeterEvent> truth = sent.stream().map(e -> MeterFacts.of(e, e.time()).orElseThrow()).toList();
        Invoice fromTheConsumers = invoicing.compose(tenant, hour, stored);
        Invoice fromWhatWasSent = invoicing.compose(tenant, hour, truth);
        assertThat(fromTheConsumers.lines()).isEqualTo(fromWhatWasSent.lines());
        assertThat(fromTheConsumers.total()).isEqualTo(fromWhatWasSent.total()).isPositive();
    }

    private static List<MeterEvent> tenantFacts(MeterStore store, String tenant) {
        return store.factsOf(tenant).stream().filter(f -> tenant.equals(f.tenant())).toList();
    }

    private static ServiceMessaging start(PGSimpleDataSource dataSource, String bootstrap, String group,
            EventHandler handler) {
        return ServiceMessaging.start(dataSource,
                new ServiceMessaging.Settings(bootstrap, "killed-it", 3, (short) 1, Duration.ofSeconds(1), group,
                        List.of(Topics.INSTANCES),
                        ConsumerSettings.of(5, Duration.ofMinutes(5), Duration.ofMinutes(1))),
                handler, new SimpleMeterRegistry());
    }

    /** Its own database, migrated as the service migrates its own at start-up. */
    private static PGSimpleDataSource database() {
        PostgresServer postgres = PostgresServer.shared();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(postgres.createDatabase("billing_killed_" + UUID.randomUUID().toString().substring(0, 8)));
        dataSource.setUser(postgres.username());
        dataSource.setPassword(postgres.password());
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration", "classpath:db/messaging")
                .outOfOrder(true).load().migrate();
        return dataSource;
    }

    private static PriceList prices() {
        Rates rates = new Rates(new BigDecimal("0.0000112"), new BigDecimal("0.0000013"));
        return new PriceList("USD", List.of(new PriceVersion("test", Instant.EPOCH,
                Map.of(Isolation.SHARED, rates, Isolation.HARDWARE, rates))));
    }

    private static Event<?> state(String tenant, UUID deployment, UUID instance, InstanceState state, Instant at) {
        return Event.of("/killed-it", at, tenant, instance.toString(), new InstanceStateChanged(instance, deployment,
                "node-1", state, null, null, Isolation.SHARED, RESOURCES));
    }
}
