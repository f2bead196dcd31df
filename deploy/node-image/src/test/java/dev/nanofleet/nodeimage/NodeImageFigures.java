package dev.nanofleet.nodeimage;

/**
 * The baseline the image is compared with, measured once by {@code deploy/node-image/measure-baseline} (README.md,
 * "Baseline"): a stock Debian 12 server install with the same software and the JDK the agent would run on.
 */
final class NodeImageFigures {

    static final long BASELINE_UNPACKED_BYTES = 2_130_274_306L;
    static final long BASELINE_PACKAGES = 628L;
    static final long BASELINE_EXECUTABLES = 916L;

    private NodeImageFigures() {
    }
}
