package dev.nanofleet.tenantbilling.rating;

/** What a line item counts, and in which unit. */
public enum Resource {
    /** Reserved CPU: vCPU-seconds (a replica asking for 500 millicores bills 0.5 per second). */
    VCPU("vCPU-s"),
    /** Reserved memory: GiB-seconds (a replica asking for 256 MiB bills 0.25 per second). */
    MEMORY("GiB-s");

    private final String unit;

    Resource(String unit) {
        this.unit = unit;
    }

    public String unit() {
        return unit;
    }
}
