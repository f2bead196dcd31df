package dev.nanofleet.events;

/**
 * A tenant's request was refused because it would exceed a quota (what the 422 {@code quota-exceeded} answered).
 *
 * @param quota the quota's name, e.g. {@code hardware.instances}
 * @param subject what was asked for, e.g. {@code deployment web} or {@code scale of deployment <id>}
 */
public record QuotaRefused(String tenant, String quota, long limit, long used, long requested, String subject)
        implements
            EventPayload {

    @Override
    public String partitionKey() {
        return tenant;
    }
}
