package dev.nanofleet.tenantbilling.fakes;

import dev.nanofleet.testsupport.PostgresTestResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Set;

/**
 * The HTTP layer's tests: the ports behind it are in-memory fakes that keep tenants apart as the real stores do, so a
 * test sets up exactly the invoices, usage and limits it reads. The service still starts with its database (the stores
 * exist beside the fakes); {@code BillingApiIT} runs the same API on the real stores.
 */
public class FakePorts implements QuarkusTestProfile {

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(FakeInvoices.class, FakeUsage.class, FakeSpendLimits.class, FakeRevenue.class);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresTestResource.class));
    }
}
