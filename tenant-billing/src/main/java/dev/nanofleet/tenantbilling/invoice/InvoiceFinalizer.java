package dev.nanofleet.tenantbilling.invoice;

import dev.nanofleet.events.Event;
import dev.nanofleet.events.InvoiceFinalized;
import dev.nanofleet.tenantbilling.meter.MeterStore;
import dev.nanofleet.tenantbilling.rating.BillingPeriods;
import dev.nanofleet.tenantbilling.rating.Invoice;
import dev.nanofleet.tenantbilling.rating.Invoicing;
import dev.nanofleet.tenantbilling.rating.Period;
import dev.nanofleet.tenantbilling.service.BillingServiceConfig;
import dev.nanofleet.tenantbilling.service.Messaging;
import dev.nanofleet.tenantbilling.service.Periodic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Makes each period's invoices final once nothing can change them: the period's cutoff (its end plus the grace period)
 * has passed and the consumer has since read every partition to its end (plus a settling time for records stamped
 * just before the cutoff). Periods are finalised in order; each tenant with anything to bill gets the next number.
 *
 * <p>
 * What an invoice holds depends only on the facts and when Kafka received them (see {@link Invoicing}), never on when
 * this runs, so a replay of the topics into an empty database finalises the same invoices with the same numbers. One
 * tenant-billing instance runs it (its consumer must hold every partition for "read to the end" to mean anything).
 */
@ApplicationScoped
public class InvoiceFinalizer {

    private static final Logger LOG = Logger.getLogger(InvoiceFinalizer.class);
    private static final String SOURCE = "/tenant-billing";

    private final InvoiceStore invoices;
    private final MeterStore meter;
    private final Invoicing invoicing;
    private final BillingPeriods periods;
    private final Messaging messaging;
    private final BillingServiceConfig config;
    private final Clock clock;
    private final Counter finalized;
    private Periodic running;

    InvoiceFinalizer(InvoiceStore invoices, MeterStore meter, Invoicing invoicing, BillingPeriods periods,
            Messaging messaging, BillingServiceConfig config, Clock clock, MeterRegistry registry) {
        this.invoices = invoices;
        this.meter = meter;
        this.invoicing = invoicing;
        this.periods = periods;
        this.messaging = messaging;
        this.config = config;
        this.clock = clock;
        this.finalized = Counter.builder("nanofleet.billing.invoices.finalized")
                .description("Invoices made final").register(registry);
    }

    void start(@Observes StartupEvent startup) {
        if (config.messaging().enabled()) {
            running = Periodic.start("invoice-finalizer", config.finalizeInterval(), this::finalizeDue);
        }
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (running != null) {
            running.close();
        }
    }

    /** Finalises every period that is due, oldest first. Returns how many periods were finalised. */
    public int finalizeDue() {
        Optional<Instant> caughtUp = messaging.caughtUpAt();
        if (caughtUp.isEmpty()) {
            return 0;
        }
        Period next = invoices.lastFinalizedPeriod().map(periods::next)
                .or(() -> meter.earliestFact().map(periods::containing)).orElse(null);
        int done = 0;
        while (next != null && isDue(next, caughtUp.get())) {
            finalizePeriod(next);
            done++;
            next = periods.next(next);
        }
        return done;
    }

    private boolean isDue(Period period, Instant caughtUp) {
        Instant safe = invoicing.cutoff(period).plus(config.settle());
        return !safe.isAfter(caughtUp) && !safe.isAfter(clock.instant());
    }

    private void finalizePeriod(Period period) {
        Instant cutoff = invoicing.cutoff(period);
        int count = 0;
        for (String tenant : meter.tenantsKnownBy(cutoff)) {
            if (invoices.exists(tenant, period)) {
                continue; // finalised before a restart cut the period short
            }
            Invoice invoice = invoicing.compose(tenant, period, meter.factsOf(tenant));
            if (invoice.isEmpty()) {
                continue;
            }
            QuarkusTransaction.requiringNew().run(() -> {
                // names are not stored with it: InvoiceStore reads them with the invoice
                FinalInvoice stored = new FinalInvoice(InvoiceStore.idOf(tenant, period), tenant,
                        invoices.nextNumber(tenant), invoice, cutoff, Map.of());
                invoices.insert(stored);
                messaging.outbox().append(finalizedEvent(stored));
                LOG.infof("invoice=%s tenant=%s number=%d period=%s..%s total=%s amountDue=%s %s lines=%d",
                        stored.id(), tenant, stored.number(), period.start(), period.end(), invoice.total(),
                        invoice.amountDue(), invoice.currency(), invoice.lines().size());
            });
            finalized.increment();
            count++;
        }
        invoices.markFinalized(period);
        LOG.infof("period %s..%s final: %d invoices", period.start(), period.end(), count);
    }

    /** Its id follows from the invoice's, so a replay announces the same event (consumers see it once). */
    private Event<InvoiceFinalized> finalizedEvent(FinalInvoice stored) {
        Invoice invoice = stored.invoice();
        UUID id = UUID.nameUUIDFromBytes(("invoice-finalized:" + stored.id()).getBytes(StandardCharsets.UTF_8));
        return new Event<>(id, SOURCE, clock.instant(), stored.tenant(), stored.id().toString(),
                null, new InvoiceFinalized(stored.id(), stored.tenant(), stored.number(), invoice.period().start(),
                        invoice.period().end(), invoice.currency(), invoice.total(), invoice.amountDue()));
    }
}
