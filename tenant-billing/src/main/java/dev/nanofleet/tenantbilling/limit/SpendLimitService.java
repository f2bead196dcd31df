package dev.nanofleet.tenantbilling.limit;

import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventPayload;
import dev.nanofleet.events.SpendAlert;
import dev.nanofleet.events.SpendLimitLifted;
import dev.nanofleet.events.SpendLimitReached;
import dev.nanofleet.tenantbilling.meter.MeterStore;
import dev.nanofleet.tenantbilling.rating.Invoicing;
import dev.nanofleet.tenantbilling.rating.Spend;
import dev.nanofleet.tenantbilling.rating.PriceList;
import dev.nanofleet.tenantbilling.service.Messaging;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Holds tenants to their spend limits. {@link #check} compares this period's spend (after the free grant, running
 * instances counted up to now) with the tenant's limit and, in one transaction with the events it publishes: announces
 * each alert threshold crossed once per period, holds the tenant when a hard limit is reached (control-api then stops
 * its deployments and refuses more) and releases the hold when the limit was raised, removed or softened, or a new
 * period began.
 */
@ApplicationScoped
public class SpendLimitService implements SpendLimits {

    private static final Logger LOG = Logger.getLogger(SpendLimitService.class);
    private static final String SOURCE = "/tenant-billing";

    private final SpendLimitStore store;
    private final MeterStore meter;
    private final Invoicing invoicing;
    private final PriceList prices;
    private final Messaging messaging;
    private final Clock clock;
    private final Timer checks;

    SpendLimitService(SpendLimitStore store, MeterStore meter, Invoicing invoicing, PriceList prices,
            Messaging messaging, Clock clock, MeterRegistry registry) {
        this.store = store;
        this.meter = meter;
        this.invoicing = invoicing;
        this.prices = prices;
        this.messaging = messaging;
        this.clock = clock;
        this.checks = Timer.builder("nanofleet.billing.spend.check").description("Checking one tenant's spend limit")
                .register(registry);
    }

    @Override
    public SpendLimitStatus status(String tenant) {
        return statusAt(tenant, invoicing.spend(tenant, meter.factsOf(tenant), clock.instant()));
    }

    private SpendLimitStatus statusAt(String tenant, Spend spend) {
        return new SpendLimitStatus(store.limit(tenant).orElse(null), spend.period(), spend.usage(),
                store.alertsSent(tenant, spend.period().start()),
                store.hold(tenant).map(SpendLimitStore.Hold::since).orElse(null));
    }

    @Override
    public SpendLimitStatus set(String tenant, BigDecimal amount, List<Integer> alertThresholds, boolean hard,
            String actor) {
        List<Integer> thresholds = alertThresholds == null ? SpendLimit.DEFAULT_THRESHOLDS : alertThresholds;
        QuarkusTransaction.requiringNew().run(() -> store.put(
                new SpendLimit(tenant, amount, prices.currency(), thresholds, hard, clock.instant()), actor));
        LOG.infof("tenant=%s spend limit set to %s %s hard=%s thresholds=%s by %s", tenant, amount,
                prices.currency(), hard, thresholds, actor);
        return statusAt(tenant, check(tenant));
    }

    @Override
    public SpendLimitStatus remove(String tenant, String actor) {
        QuarkusTransaction.requiringNew().run(() -> store.remove(tenant));
        LOG.infof("tenant=%s spend limit removed by %s", tenant, actor);
        return statusAt(tenant, check(tenant));
    }

    /**
     * Compares the tenant's spend with its limit now and publishes what changed. Safe to call again at any time.
     *
     * @return the spend it compared
     */
    public Spend check(String tenant) {
        return checks.record(() -> {
            Instant now = clock.instant();
            Spend spend = invoicing.spend(tenant, meter.factsOf(tenant), now);
            QuarkusTransaction.requiringNew().run(() -> apply(tenant, spend, now));
            return spend;
        });
    }

    private void apply(String tenant, Spend spend, Instant now) {
        Optional<SpendLimit> limit = store.limit(tenant);
        Instant periodStart = spend.period().start();
        String currency = prices.currency();
        if (limit.isPresent()) {
            BigDecimal amount = limit.get().amount();
            for (int threshold : limit.get().alertThresholds()) {
                BigDecimal line = amount.multiply(BigDecimal.valueOf(threshold)).movePointLeft(2);
                if (spend.usage().compareTo(line) >= 0
                        && store.recordAlert(tenant, periodStart, threshold, spend.usage(), now)) {
                    publish(tenant, now, new SpendAlert(tenant, periodStart, spend.period().end(), threshold, amount,
                            spend.usage(), currency));
                    LOG.infof("tenant=%s spend %s crossed %d%% of its limit %s %s", tenant, spend.usage(), threshold,
                            amount, currency);
                }
            }
            if (limit.get().hard() && spend.usage().compareTo(amount) >= 0 && store.hold(
                    new SpendLimitStore.Hold(tenant, periodStart, now, amount, spend.usage()))) {
                publish(tenant, now, new SpendLimitReached(tenant, periodStart, spend.period().end(), amount,
                        spend.usage(), currency));
                LOG.warnf("tenant=%s reached its hard spend limit: %s of %s %s; its deployments are stopped", tenant,
                        spend.usage(), amount, currency);
            }
        }
        Optional<SpendLimitStore.Hold> hold = store.hold(tenant);
        if (hold.isPresent()) {
            String why = releaseReason(hold.get(), limit, spend);
            if (why != null && store.release(tenant)) {
                publish(tenant, now, new SpendLimitLifted(tenant, periodStart,
                        limit.map(SpendLimit::amount).orElse(null), spend.usage(), currency, why));
                LOG.infof("tenant=%s spend hold lifted: %s", tenant, why);
            }
        }
    }

    /** Why a hold ends now, or null while it stays. */
    private static String releaseReason(SpendLimitStore.Hold hold, Optional<SpendLimit> limit, Spend spend) {
        if (!hold.periodStart().equals(spend.period().start())) {
            return "a new billing period began";
        }
        if (limit.isEmpty()) {
            return "the spend limit was removed";
        }
        if (!limit.get().hard()) {
            return "the spend limit no longer stops spending";
        }
        if (spend.usage().compareTo(limit.get().amount()) < 0) {
            return "the spend limit was raised to " + limit.get().amount().toPlainString() + " "
                    + limit.get().currency();
        }
        return null;
    }

    private void publish(String tenant, Instant now, EventPayload payload) {
        messaging.outbox().append(Event.of(SOURCE, now, tenant, tenant, payload));
    }
}
