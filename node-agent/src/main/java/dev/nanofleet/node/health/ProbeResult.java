package dev.nanofleet.node.health;

/**
 * What one check said.
 *
 * @param detail for a failure, the words a person reads in the instance's {@code healthReason} ({@code HTTP 500 from
 *        /healthz}); for a pass, a short note for logs
 */
public record ProbeResult(boolean passed, String detail) {

    public static ProbeResult pass(String detail) {
        return new ProbeResult(true, detail);
    }

    public static ProbeResult fail(String detail) {
        return new ProbeResult(false, detail);
    }
}
