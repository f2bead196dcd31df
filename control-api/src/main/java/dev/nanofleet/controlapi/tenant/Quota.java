package dev.nanofleet.controlapi.tenant;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.controlapi.openapi.EnumNames;
import dev.nanofleet.controlapi.problem.QuotaExceeded;
import java.util.Optional;

/**
 * The limits of one isolation mode: what a tenant's live deployments may reserve together. Hardware and shared kernels
 * are limited apart, since a VM costs the node more than a container of the same size.
 */
public record Quota(int cpuMillis, int memoryMiB, int instances) {

    /** The resources a quota limits, named as the API names them ({@code hardware.memoryMiB}). */
    public enum Resource {
        CPU_MILLIS("cpuMillis"), MEMORY_MIB("memoryMiB"), INSTANCES("instances");

        private final String json;

        Resource(String json) {
            this.json = json;
        }

        public String json() {
            return json;
        }
    }

    /** What a tenant holds, or asks for, in one isolation mode. */
    public record Use(long cpuMillis, long memoryMiB, long instances) {
        public static final Use NONE = new Use(0, 0, 0);

        public static Use of(int replicas, int cpuMillis, int memoryMiB) {
            return new Use((long) replicas * cpuMillis, (long) replicas * memoryMiB, replicas);
        }

        public Use minus(Use other) {
            return new Use(cpuMillis - other.cpuMillis, memoryMiB - other.memoryMiB, instances - other.instances);
        }

        public Use plus(Use other) {
            return new Use(cpuMillis + other.cpuMillis, memoryMiB + other.memoryMiB, instances + other.instances);
        }

        long of(Resource resource) {
            return switch (resource) {
                case CPU_MILLIS -> cpuMillis;
                case MEMORY_MIB -> memoryMiB;
                case INSTANCES -> instances;
            };
        }
    }

    public long limit(Resource resource) {
        return switch (resource) {
            case CPU_MILLIS -> cpuMillis;
            case MEMORY_MIB -> memoryMiB;
            case INSTANCES -> instances;
        };
    }

    /**
     * The first resource that {@code used + asked} would take past this quota, checked in the order cpu, memory,
     * instances. Asking for nothing more (a scale down) is never refused, even over a lowered quota.
     */
    public Optional<QuotaExceeded> check(Isolation isolation, Use used, Use asked) {
        for (Resource resource : Resource.values()) {
            long more = asked.of(resource);
            if (more > 0 && used.of(resource) + more > limit(resource)) {
                return Optional.of(new QuotaExceeded(EnumNames.json(isolation) + "." + resource.json(),
                        limit(resource), used.of(resource), more));
            }
        }
        return Optional.empty();
    }
}
