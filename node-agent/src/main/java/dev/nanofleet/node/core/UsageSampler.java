package dev.nanofleet.node.core;

import dev.nanofleet.node.core.ContainerRuntime.RuntimeFailure;
import dev.nanofleet.node.core.ContainerRuntime.RuntimeInstance;
import dev.nanofleet.node.core.ContainerRuntime.Status;
import dev.nanofleet.node.core.ContainerRuntime.Usage;
import dev.nanofleet.nodeapi.UsageReport;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Measures every running instance of every runtime and sends the samples to control-api in one report, which bills
 * them. Samples carry cumulative CPU time, so a lost report loses no CPU time, only resolution. Called from one thread.
 */
public final class UsageSampler {

    private static final Logger LOG = System.getLogger(UsageSampler.class.getName());

    private final ControlPlane controlPlane;
    private final List<ContainerRuntime> runtimes;
    private final Clock clock;

    public UsageSampler(ControlPlane controlPlane, List<ContainerRuntime> runtimes, Clock clock) {
        this.controlPlane = controlPlane;
        this.runtimes = List.copyOf(runtimes);
        this.clock = clock;
    }

    /** Samples and sends; returns how many instances were sampled. Never throws for an unreachable control-api. */
    public int sampleOnce() {
        List<UsageReport.Sample> samples = new ArrayList<>();
        for (ContainerRuntime runtime : runtimes) {
            List<RuntimeInstance> instances;
            try {
                instances = runtime.list();
            } catch (RuntimeFailure e) {
                LOG.log(Level.WARNING, "event=usage.list.failed isolation={0} reason=\"{1}\"", runtime.isolation(),
                        e.getMessage());
                continue;
            }
            for (RuntimeInstance instance : instances) {
                if (instance.status() != Status.RUNNING) {
                    continue;
                }
                Instant at = clock.instant();
                Optional<Usage> usage = runtime.usage(instance.id());
                usage.ifPresent(u -> samples.add(new UsageReport.Sample(instance.id(), at, u.cpuNanos(),
                        u.memoryBytes())));
            }
        }
        if (samples.isEmpty()) {
            return 0;
        }
        try {
            controlPlane.reportUsage(new UsageReport(samples));
        } catch (ControlPlaneException e) {
            LOG.log(Level.WARNING, "event=usage.report.failed samples={0} reason=\"{1}\"", samples.size(),
                    e.getMessage());
            return 0;
        }
        return samples.size();
    }
}
