package dev.nanofleet.tenantbilling.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What is billed and at which price: the billing period, the grace period for late events, the price list and the free
 * grant. Validated at start-up; a replay reproduces invoices only under the same rules.
 */
@ConfigMapping(prefix = "nanofleet.billing.rules")
public interface BillingRulesConfig {

    /**
     * {@code calendar-month} (UTC), or an ISO-8601 duration of whole seconds (e.g. {@code PT2M}) for periods of that
     * length counted from the epoch: tests and demos use minutes.
     */
    @WithDefault("calendar-month")
    @Pattern(regexp = "calendar-month|PT[0-9HMS]+", message = "is calendar-month or an ISO-8601 duration like PT2M")
    String period();

    /** How long after a period ends its invoice still takes late events (Stripe's finalisation grace). */
    @WithDefault("PT1H")
    Duration grace();

    /** ISO 4217 code of the prices and invoices. */
    @WithDefault("USD")
    @Pattern(regexp = "[A-Z]{3}")
    String currency();

    /** Price versions by id; each holds from its {@code effective-from} until the next one's. */
    @NotEmpty
    Map<String, PriceVersionConfig> priceVersions();

    /** Usage each tenant gets free per period. Zero (the default) grants nothing. */
    FreeGrantConfig freeGrant();

    interface PriceVersionConfig {
        Instant effectiveFrom();

        RatesConfig shared();

        RatesConfig hardware();
    }

    interface RatesConfig {
        @DecimalMin("0")
        BigDecimal perVcpuSecond();

        @DecimalMin("0")
        BigDecimal perGibSecond();
    }

    interface FreeGrantConfig {
        @WithDefault("0")
        @DecimalMin("0")
        BigDecimal vcpuSeconds();

        @WithDefault("0")
        @DecimalMin("0")
        BigDecimal gibSeconds();
    }
}
