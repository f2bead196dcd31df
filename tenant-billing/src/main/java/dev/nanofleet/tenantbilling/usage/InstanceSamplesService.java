package dev.nanofleet.tenantbilling.usage;

import dev.nanofleet.tenantbilling.meter.MeterStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** An instance's samples from the meter's store, for its tenant or an operator. */
@ApplicationScoped
public class InstanceSamplesService implements InstanceSamples {

    private final MeterStore meter;

    InstanceSamplesService(MeterStore meter) {
        this.meter = meter;
    }

    @Override
    public Optional<InstanceSeries> series(Optional<String> tenant, UUID instanceId, Instant after, int limit) {
        return meter.ownerOf(instanceId, tenant.orElse(null))
                .filter(owner -> tenant.map(owner.tenant()::equals).orElse(true))
                .map(owner -> {
                    // one more than asked says whether the limit left samples out
                    MeterStore.SampleWindow found = meter.samplesOf(owner.tenant(), instanceId, after, limit + 1);
                    boolean more = found.window().size() > limit;
                    return new InstanceSeries(instanceId, owner.tenant(), owner.deploymentId(),
                            InstanceSeries.points(found.before(),
                                    more ? found.window().subList(0, limit) : found.window()),
                            more);
                });
    }
}
