package dev.nanofleet.tenantbilling.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.events.Event;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.InstanceStateChanged;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.events.SpendAlert;
import dev.nanofleet.events.SpendLimitLifted;
import dev.nanofleet.events.SpendLimitReached;
import dev.nanofleet.events.Topics;
import dev.nanofleet.messaging.KafkaClients;
import dev.nanofleet.tenantbilling.limit.SpendLimitService;
import dev.nanofleet.tenantbilling.limit.SpendLimitStatus;
import dev.nanofleet.tenantbilling.meter.BillingEventHandler;
import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.KafkaTestResource;
import dev.nanofleet.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A spend limit against real Kafka and PostgreSQL: each alert threshold is announced once, reaching a hard limit holds
 * the tenant (billing.spend-limit-reached, which control-api acts on) and raising the limit releases it.
 */
@QuarkusTest
@TestProfile(SpendLimitIT.MonthlyPeriods.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
class SpendLimitIT {

    /** Calendar months: within a few seconds' periods the spend would start again from zero before the limit. */
    public static class MonthlyPeriods extends MessagingOn {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("nanofleet.billing.rules.period", "calendar-month");
            return config;
        }
    }

    private static final Logger LOG = Logger.getLogger(SpendLimitIT.class);
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** A big replica, so a cent is spent in seconds: 64 vCPU and 64 GiB cost ~0.001 USD a second hardware-isolated. */
    private static final Resources BIG = new Resources(64_000, 65_536);

    @Inject
    BillingEventHandler handler;
    @Inject
    SpendLimitService limits;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void alerts_come_once_each_a_hard_limit_holds_the_tenant_and_raising_it_releases_it() {
        String tenant = "spend-" + UUID.randomUUID().toString().substring(0, 8);
        UUID instance = UUID.randomUUID();
        UUID deployment = UUID.randomUUID();
        Instant started = Instant.now().minusSeconds(3);
        handler.handle(state(tenant, deployment, instance, InstanceState.RUNNING, started));

        SpendLimitStatus set = limits.set(tenant, new BigDecimal("0.01"), null, true, "user:it");
        assertThat(set.limit().alertThresholds()).containsExactly(75, 90, 100);
        assertThat(set.heldSince()).as("3 s of spend is under a cent").isNull();

        List<Event<?>> billing = new ArrayList<>();
        try (Consumer<String, byte[]> consumer = KafkaClients.consumer(bootstrap, "spend-it-" + tenant)) {
            consumer.subscribe(List.of(Topics.BILLING));
            Event<?> reached = Await.value(DEADLINE, "the hard limit is reached", () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> EventCodec.decode(r.value())
                        .filter(e -> tenant.equals(e.tenant())).ifPresent(billing::add));
                return billing.stream().filter(e -> e.data() instanceof SpendLimitReached).findFirst().orElse(null);
            });
            SpendLimitReached held = (SpendLimitReached) reached.data();
            assertThat(held.limit()).isEqualByComparingTo("0.01");
            assertThat(held.spend()).isGreaterThanOrEqualTo(new BigDecimal("0.01"));
            BigDecimal perSecond = limits.status(tenant).spend().subtract(BigDecimal.ZERO)
                    .divide(BigDecimal.valueOf(Duration.between(started, Instant.now()).toMillis()), 12,
                            java.math.RoundingMode.HALF_EVEN)
                    .multiply(BigDecimal.valueOf(1000));
            LOG.infof("spend limit reached %d ms after the run started (%s USD/s)",
                    Duration.between(started, reached.time()).toMillis(), perSecond);
            assertThat(limits.status(tenant).heldSince()).isNotNull();

            // the node stops it (control-api's doing on the hold): the spend stops growing
            handler.handle(state(tenant, deployment, instance, InstanceState.STOPPED, Instant.now()));
            limits.set(tenant, new BigDecimal("100.00"), List.of(50), true, "user:it");

            Event<?> lifted = Await.value(DEADLINE, "the hold is lifted", () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> EventCodec.decode(r.value())
                        .filter(e -> tenant.equals(e.tenant())).ifPresent(billing::add));
                return billing.stream().filter(e -> e.data() instanceof SpendLimitLifted).findFirst().orElse(null);
            });
            assertThat(((SpendLimitLifted) lifted.data()).reason()).contains("raised to 100.00");
        }
        assertThat(limits.status(tenant).heldSince()).isNull();
        assertThat(billing.stream().filter(e -> e.data() instanceof SpendAlert)
                .map(e -> ((SpendAlert) e.data()).thresholdPercent())).containsExactlyInAnyOrder(75, 90, 100);
        assertThat(billing.stream().filter(e -> e.data() instanceof SpendLimitReached)).hasSize(1);
    }

    private static Event<?> state(String tenant, UUID deployment, UUID instance, InstanceState state, Instant at) {
        return Event.of("/spend-it", at, tenant, instance.toString(), new InstanceStateChanged(instance, deployment,
                "node-1", state, null, null, Isolation.HARDWARE, BIG));
    }
}
