package dev.nanofleet.controlapi.tenant;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.TenantTrust;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.Optional;

/**
 * A tenant as control-api keeps it: the one owner of its trust, state and quotas. Keycloak only places users in it.
 * A null quota column means the configured default applies.
 */
@Entity
@Table(name = "tenant")
public class TenantEntity {

    @Id
    String id;

    @Column(nullable = false)
    String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    TenantTrust trust;

    /** Trust is being lowered: see {@link #trustForNewWork()}. */
    @Column(name = "trust_lowering", nullable = false)
    boolean trustLowering;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    TenantState state;

    @Column(name = "shared_cpu_millis")
    Integer sharedCpuMillis;

    @Column(name = "shared_memory_mib")
    Integer sharedMemoryMiB;

    @Column(name = "shared_instances")
    Integer sharedInstances;

    @Column(name = "hardware_cpu_millis")
    Integer hardwareCpuMillis;

    @Column(name = "hardware_memory_mib")
    Integer hardwareMemoryMiB;

    @Column(name = "hardware_instances")
    Integer hardwareInstances;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    /** Set while the tenant is held by its hard spend limit: see {@link #reachSpendLimit}. */
    @Column(name = "spend_held_since")
    Instant spendHeldSince;

    @Column(name = "spend_limit")
    BigDecimal spendLimit;

    @Column(name = "spend_amount")
    BigDecimal spendAmount;

    @Column(name = "spend_currency")
    String spendCurrency;

    @Column(name = "spend_period_end")
    Instant spendPeriodEnd;

    /** The time of the newest limit event applied, held or not: what tells a late event from a current one. */
    @Column(name = "spend_decided_at")
    Instant spendDecidedAt;

    @Version
    long version;

    public String id() {
        return id;
    }

    public TenantTrust trust() {
        return trust;
    }

    public TenantState state() {
        return state;
    }

    public boolean trustLowering() {
        return trustLowering;
    }

    /**
     * The trust new work is placed under: untrusted from the moment an operator lowers it, while {@link #trust()}
     * still reads trusted until the last shared-kernel replica has stopped, so an untrusted tenant never holds one.
     */
    public TenantTrust trustForNewWork() {
        return trustLowering ? TenantTrust.UNTRUSTED : trust;
    }

    /** The last shared-kernel replica stopped: the tenant is untrusted now. */
    public void completeTrustLowering() {
        if (trustLowering) {
            trust = TenantTrust.UNTRUSTED;
            trustLowering = false;
        }
    }

    /** What a billing limit event did to the tenant's spend hold. */
    public enum SpendLimitChange {
        /** The tenant was not held and is now. */
        HELD,
        /** The tenant was held already; the hold now carries the newer figures. */
        STILL_HELD,
        /** The hold is cleared. */
        LIFTED,
        /** A lift for a tenant not held: nothing the tenant sees changes. */
        NOT_HELD,
        /** Older than the newest limit event applied (it arrived late): it changes nothing. */
        STALE
    }

    /** The hold in force, if the tenant's spend limit is reached. */
    public Optional<SpendHold> spendHold() {
        return spendHeldSince == null
                ? Optional.empty()
                : Optional.of(new SpendHold(spendHeldSince, spendLimit, spendAmount, spendCurrency, spendPeriodEnd));
    }

    /**
     * Billing found the limit reached at {@code decidedAt}. A tenant already held keeps its {@code since} and takes the
     * newer figures. Events are ordered by their time (billing's decision), not by their arrival, so one older than the
     * newest applied is {@link SpendLimitChange#STALE}; one of the same time applies (the later in the partition wins).
     */
    public SpendLimitChange reachSpendLimit(Instant decidedAt, BigDecimal limit, BigDecimal spend, String currency,
            Instant periodEnd) {
        if (stale(decidedAt)) {
            return SpendLimitChange.STALE;
        }
        spendDecidedAt = decidedAt;
        SpendLimitChange change = spendHeldSince == null ? SpendLimitChange.HELD : SpendLimitChange.STILL_HELD;
        if (spendHeldSince == null) {
            spendHeldSince = decidedAt;
        }
        spendLimit = inMinorUnits(limit, currency);
        spendAmount = inMinorUnits(spend, currency);
        spendCurrency = currency;
        spendPeriodEnd = periodEnd;
        return change;
    }

    /**
     * Billing lifted the limit at {@code decidedAt}. Stale as for {@link #reachSpendLimit}: a lift decided before the
     * hold's newest reached event answers an older hold, and clearing the newer one would let spending run on. A lift
     * for a tenant not held still moves the order mark, so a reached event older than it cannot hold the tenant later.
     */
    public SpendLimitChange liftSpendLimit(Instant decidedAt) {
        if (stale(decidedAt)) {
            return SpendLimitChange.STALE;
        }
        spendDecidedAt = decidedAt;
        if (spendHeldSince == null) {
            return SpendLimitChange.NOT_HELD;
        }
        spendHeldSince = null;
        spendLimit = null;
        spendAmount = null;
        spendCurrency = null;
        spendPeriodEnd = null;
        return SpendLimitChange.LIFTED;
    }

    /**
     * The amount with at least its currency's minor digits ({@code 25} USD is kept as {@code 25.00}), so the API shows
     * money as people write it whatever scale the event carried. Only ever adds zeros: never rounds.
     */
    static BigDecimal inMinorUnits(BigDecimal amount, String currency) {
        int digits;
        try {
            digits = Currency.getInstance(currency).getDefaultFractionDigits();
        } catch (IllegalArgumentException e) {
            return amount; // not an ISO 4217 code: as billing sent it
        }
        return amount.scale() < digits ? amount.setScale(digits) : amount;
    }

    private boolean stale(Instant decidedAt) {
        return spendDecidedAt != null && decidedAt.isBefore(spendDecidedAt);
    }

    /** The quota of one isolation mode: this tenant's own values where set, the defaults elsewhere. */
    public Quota quota(Isolation isolation, Quota defaults) {
        return isolation == Isolation.SHARED
                ? new Quota(or(sharedCpuMillis, defaults.cpuMillis()), or(sharedMemoryMiB, defaults.memoryMiB()),
                        or(sharedInstances, defaults.instances()))
                : new Quota(or(hardwareCpuMillis, defaults.cpuMillis()), or(hardwareMemoryMiB, defaults.memoryMiB()),
                        or(hardwareInstances, defaults.instances()));
    }

    void setQuota(Isolation isolation, QuotaRequest request) {
        if (request == null) {
            return;
        }
        if (isolation == Isolation.SHARED) {
            sharedCpuMillis = request.cpuMillis() == null ? sharedCpuMillis : request.cpuMillis();
            sharedMemoryMiB = request.memoryMiB() == null ? sharedMemoryMiB : request.memoryMiB();
            sharedInstances = request.instances() == null ? sharedInstances : request.instances();
        } else {
            hardwareCpuMillis = request.cpuMillis() == null ? hardwareCpuMillis : request.cpuMillis();
            hardwareMemoryMiB = request.memoryMiB() == null ? hardwareMemoryMiB : request.memoryMiB();
            hardwareInstances = request.instances() == null ? hardwareInstances : request.instances();
        }
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
