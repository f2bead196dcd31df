package dev.nanofleet.controlapi.deployment;

/**
 * Which changes to a deployment spend more, and so wait while the tenant is held by its spend limit
 * ({@code Tenants.admitSpending}). Pure, so the rule is tested directly.
 */
final class Spending {

    private Spending() {
    }

    /**
     * More replicas, or more CPU or memory per replica: the deployment would reserve more, and bill more once it runs.
     * Less of one and more of another grows too (the larger side is what the tenant would pay for); the same or less of
     * everything does not, so scaling down and shrinking always pass.
     */
    static boolean grows(int replicasBefore, int cpuMillisBefore, int memoryMiBBefore, int replicas, int cpuMillis,
            int memoryMiB) {
        return replicas > replicasBefore || cpuMillis > cpuMillisBefore || memoryMiB > memoryMiBBefore;
    }
}
