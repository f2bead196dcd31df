package dev.nanofleet.controlapi.problem;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Why a request was refused for a quota: which one ({@code hardware.memoryMiB}), its limit, what the tenant holds and
 * what the request asked for on top.
 */
@Schema(name = "QuotaExceeded")
public record QuotaExceeded(@Schema(example = "hardware.memoryMiB") String name, long limit, long used,
        long requested) {

    public String detail() {
        return "quota " + name + " is " + limit + ": " + used + " in use and " + requested + " more asked would make "
                + (used + requested);
    }
}
