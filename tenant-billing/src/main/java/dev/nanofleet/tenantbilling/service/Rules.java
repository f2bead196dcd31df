package dev.nanofleet.tenantbilling.service;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.tenantbilling.rating.BillingPeriods;
import dev.nanofleet.tenantbilling.rating.CalendarMonths;
import dev.nanofleet.tenantbilling.rating.FixedPeriods;
import dev.nanofleet.tenantbilling.rating.FreeGrant;
import dev.nanofleet.tenantbilling.rating.Invoicing;
import dev.nanofleet.tenantbilling.rating.PriceList;
import dev.nanofleet.tenantbilling.rating.PriceVersion;
import dev.nanofleet.tenantbilling.rating.Rates;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Turns the configuration into the rating core's rules, once. */
@ApplicationScoped
public class Rules {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    Invoicing invoicing(BillingRulesConfig config, BillingPeriods periods, PriceList prices, FreeGrant grant) {
        return new Invoicing(periods, config.grace(), prices, grant);
    }

    @Produces
    @Singleton
    FreeGrant freeGrant(BillingRulesConfig config) {
        return new FreeGrant(config.freeGrant().vcpuSeconds(), config.freeGrant().gibSeconds());
    }

    @Produces
    @Singleton
    BillingPeriods periods(BillingRulesConfig config) {
        return periods(config.period());
    }

    @Produces
    @Singleton
    PriceList prices(BillingRulesConfig config) {
        return priceList(config);
    }

    static BillingPeriods periods(String period) {
        if (period.equals("calendar-month")) {
            return new CalendarMonths();
        }
        Duration length = Duration.parse(period);
        if (length.getNano() != 0 || length.getSeconds() < 1) {
            throw new IllegalArgumentException(
                    "nanofleet.billing.rules.period: a duration of whole seconds, at least one: " + period);
        }
        return new FixedPeriods(length);
    }

    static PriceList priceList(BillingRulesConfig config) {
        List<PriceVersion> versions = config.priceVersions().entrySet().stream()
                .map(e -> new PriceVersion(e.getKey(), e.getValue().effectiveFrom(),
                        Map.of(Isolation.SHARED, rates(e.getValue().shared()), Isolation.HARDWARE,
                                rates(e.getValue().hardware()))))
                .toList();
        return new PriceList(config.currency(), versions);
    }

    private static Rates rates(BillingRulesConfig.RatesConfig rates) {
        return new Rates(rates.perVcpuSecond(), rates.perGibSecond());
    }
}
