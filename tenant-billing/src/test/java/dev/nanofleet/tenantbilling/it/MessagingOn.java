package dev.nanofleet.tenantbilling.it;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The service as it runs, with Kafka, and billing periods of a few seconds so an IT sees invoices become final. */
public class MessagingOn implements QuarkusTestProfile {

    static final int PERIOD_SECONDS = 4;
    static final int GRACE_SECONDS = 3;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("nanofleet.billing.service.messaging.enabled", "true",
                "nanofleet.billing.service.messaging.consumer-group", "tenant-billing-it",
                "nanofleet.billing.rules.period", "PT" + PERIOD_SECONDS + "S",
                "nanofleet.billing.rules.grace", "PT" + GRACE_SECONDS + "S");
    }
}
