package dev.nanofleet.tenantbilling.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.InstanceStateChanged;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.messaging.BatchEventHandler;
import dev.nanofleet.messaging.KafkaClients;
import dev.nanofleet.tenantbilling.invoice.FinalInvoice;
import dev.nanofleet.tenantbilling.invoice.InvoiceStore;
import dev.nanofleet.tenantbilling.meter.BillingEventHandler;
import dev.nanofleet.tenantbilling.rating.BillingPeriods;
import dev.nanofleet.tenantbilling.rating.Invoicing;
import dev.nanofleet.tenantbilling.rating.LineItem;
import dev.nanofleet.tenantbilling.rating.Period;
import dev.nanofleet.tenantbilling.rating.PriceList;
import dev.nanofleet.tenantbilling.rating.Resource;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The meter against real Kafka and PostgreSQL: events in any order and repeated bill each second once; a late event
 * inside the grace period lands on its period's invoice and one after it on the next invoice as an adjustment; and
 * replaying the topics into an empty database reproduces every invoice exactly.
 */
@QuarkusTest
@TestProfile(MessagingOn.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeteringIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Resources HALF_CORE_QUARTER_GIB = new Resources(500, 256);
    private static final List<String> TENANTS = new ArrayList<>();

    @Inject
    InvoiceStore invoices;
    @Inject
    BillingPeriods periods;
    @Inject
    Invoicing invoicing;
    @Inject
    PriceList prices;
    @Inject
    BillingEventHandler handler;
    @Inject
    AgroalDataSource dataSource;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    @Order(1)
    void a_run_is_billed_once_whatever_the_order_and_repetition_of_its_events() {
        String tenant = tenant();
        Period period = periods.containing(Instant.now().plusSeconds(MessagingOn.PERIOD_SECONDS));
        UUID instance = UUID.randomUUID();
        UUID deployment = UUID.randomUUID();
        Event<?> running = state(tenant, deployment, instance, InstanceState.RUNNING, period.start().plusSeconds(1));
        Event<?> stopped = state(tenant, deployment, instance, InstanceState.STOPPED, period.start().plusSeconds(3));
        try (Producer<String, byte[]> producer = KafkaClients.producer(bootstrap, "metering-it")) {
            // the stop before the start, and each twice: a redelivery after a consumer died before committing
            for (Event<?> event : List.of(stopped, running, stopped, running)) {
                send(producer, event, Instant.now());
            }
        }

        FinalInvoice invoice = awaitInvoices(tenant, 1).getFirst();

        assertThat(invoice.number()).isEqualTo(1);
        assertThat(invoice.invoice().period()).isEqualTo(period);
        // seconds start+1 and start+2 began while it ran: 2 s of half a core and a quarter GiB
        assertThat(quantity(invoice, LineItem.Kind.USAGE, Resource.VCPU)).isEqualByComparingTo("1.0");
        assertThat(quantity(invoice, LineItem.Kind.USAGE, Resource.MEMORY)).isEqualByComparingTo("0.5");
        BigDecimal expected = new BigDecimal("1.0").multiply(prices.at(period.start()).rates(Isolation.SHARED)
                .perVcpuSecond()).add(new BigDecimal("0.5").multiply(
                        prices.at(period.start())
                                .rates(Isolation.SHARED).perGibSecond()));
        assertThat(invoice.invoice().total()).isEqualByComparingTo(expected);
    }

    @Test
    @Order(2)
    void an_event_late_within_the_grace_lands_on_its_period_and_a_later_one_on_the_next_invoice() {
        String withinGrace = tenant();
        String afterGrace = tenant();
        Period period = periods.containing(Instant.now().plusSeconds(MessagingOn.PERIOD_SECONDS));
        Instant cutoff = invoicing.cutoff(period);
        try (Producer<String, byte[]> producer = KafkaClients.producer(bootstrap, "metering-it")) {
            for (String tenant : List.of(withinGrace, afterGrace)) {
                UUID instance = UUID.randomUUID();
                UUID deployment = UUID.randomUUID();
                send(producer, state(tenant, deployment, instance, InstanceState.RUNNING,
                        period.start().plusSeconds(1)), Instant.now());
                // it stopped a second later, but Kafka received the news after the period ended: within the grace
                // for one tenant, after it for the other (the record's timestamp is when Kafka took it)
                Instant receivedAt = tenant.equals(withinGrace)
                        ? period.end().plusSeconds(1)
                        : cutoff.plusSeconds(1);
                send(producer, state(tenant, deployment, instance, InstanceState.STOPPED,
                        period.start().plusSeconds(2)), receivedAt);
            }
        }

        FinalInvoice onTime = awaitInvoices(withinGrace, 1).getFirst();
        assertThat(quantity(onTime, LineItem.Kind.USAGE, Resource.VCPU)).isEqualByComparingTo("0.5");

        List<FinalInvoice> late = awaitInvoices(afterGrace, 2);
        FinalInvoice first = late.get(1);
        FinalInvoice next = late.get(0);
        assertThat(first.invoice().period()).isEqualTo(period);
        // unaware of the stop at its cutoff, the first invoice billed the run to the period's end
        long billedSeconds = MessagingOn.PERIOD_SECONDS - 1;
        assertThat(quantity(first, LineItem.Kind.USAGE, Resource.VCPU))
                .isEqualByComparingTo(BigDecimal.valueOf(billedSeconds).multiply(new BigDecimal("0.5")));
        assertThat(next.invoice().period()).isEqualTo(periods.next(period));
        assertThat(next.number()).isEqualTo(2);
        // the next one gives back what it ran no more: together they bill the one second it ran
        assertThat(quantity(first, LineItem.Kind.USAGE, Resource.VCPU)
                .add(quantity(next, LineItem.Kind.ADJUSTMENT, Resource.VCPU))).isEqualByComparingTo("0.5");
        assertThat(next.invoice().lines()).allSatisfy(line -> assertThat(line.kind())
                .isEqualTo(LineItem.Kind.ADJUSTMENT));
    }

    @Test
    @Order(3)
    void replaying_the_topics_into_an_empty_database_reproduces_every_invoice_exactly() throws Exception {
        Map<String, String> before = invoicesAsJson();
        assertThat(before).hasSize(TENANTS.size());
        List<ConsumerRecord<String, byte[]>> records = readTopicsFromTheStart();

        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("TRUNCATE invoice_line, invoice, finalized_period, meter_event, usage_sample,"
                    + " deployment_name");
        }
        // as one batch (one transaction), so the finaliser sees none of the replay or all of it
        List<BatchEventHandler.Delivery> replay = new ArrayList<>();
        records.forEach(record -> EventCodec.decode(record.value()).ifPresent(
                event -> replay.add(new BatchEventHandler.Delivery(event, Instant.ofEpochMilli(record.timestamp())))));
        handler.handleAll(replay);

        Await.untilAsserted(DEADLINE, "the replayed invoices are final and the same",
                () -> assertThat(invoicesAsJson()).isEqualTo(before));
    }

    private Map<String, String> invoicesAsJson() throws Exception {
        Map<String, String> json = new java.util.TreeMap<>();
        for (String tenant : TENANTS) {
            json.put(tenant, EventCodec.mapper().writeValueAsString(invoices.list(tenant)));
        }
        return json;
    }

    private List<ConsumerRecord<String, byte[]>> readTopicsFromTheStart() {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (Consumer<String, byte[]> consumer = KafkaClients.consumer(bootstrap, "replay-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(dev.nanofleet.events.Topics.INSTANCES));
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < Duration.ofSeconds(3).toNanos()) {
                var batch = consumer.poll(Duration.ofMillis(200));
                if (!batch.isEmpty()) {
                    batch.forEach(records::add);
                    quietSince = System.nanoTime();
                }
            }
        }
        assertThat(records).as("records replayed").isNotEmpty();
        return records;
    }

    private List<FinalInvoice> awaitInvoices(String tenant, int count) {
        return Await.value(DEADLINE, count + " final invoice(s) of " + tenant, () -> {
            List<FinalInvoice> found = invoices.list(tenant);
            return found.size() >= count ? found : null;
        });
    }

    private static BigDecimal quantity(FinalInvoice invoice, LineItem.Kind kind, Resource resource) {
        return invoice.invoice().lines().stream().filter(l -> l.kind() == kind && l.resource() == resource)
                .map(LineItem::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static String tenant() {
        String tenant = "meter-" + UUID.randomUUID().toString().substring(0, 8);
        TENANTS.add(tenant);
        return tenant;
    }

    private static Event<?> state(String tenant, UUID deployment, UUID instance, InstanceState state, Instant at) {
        return Event.of("/metering-it", at, tenant, instance.toString(), new InstanceStateChanged(instance,
                deployment, "node-1", state, null, null, Isolation.SHARED, HALF_CORE_QUARTER_GIB));
    }

    private static void send(Producer<String, byte[]> producer, Event<?> event, Instant receivedAt) {
        try {
            producer.send(new ProducerRecord<>(event.topic(), null, receivedAt.toEpochMilli(), event.partitionKey(),
                    EventCodec.encode(event))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
