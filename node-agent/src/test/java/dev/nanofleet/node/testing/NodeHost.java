package dev.nanofleet.node.testing;

import dev.nanofleet.testsupport.HostTools;
import org.opentest4j.TestAbortedException;

/**
 * What a node-agent IT needs of the host on top of {@link HostTools#require(String...)}: root, because runc here
 * creates cgroups. Like {@code HostTools}, a missing requirement skips the test with a printed reason, and fails it
 * under {@code CI=true}.
 */
public final class NodeHost {
    private NodeHost() {
    }

    /** Requires the tools (see {@link HostTools#require(String...)}) and root. */
    public static void require(String... tools) {
        HostTools.require(tools);
        if (!HostTools.root()) {
            String reason = "not root: runc needs root to create the instances' cgroups";
            if (HostTools.ci()) {
                throw new IllegalStateException(reason + " [CI=true: failing instead of skipping]");
            }
            System.err.println("[nanofleet] SKIPPED: " + reason);
            throw new TestAbortedException(reason);
        }
    }

    /**
     * For {@code @EnabledIf("dev.nanofleet.node.testing.NodeHost#readyForTheAgent")} on a {@code @QuarkusTest}: JUnit
     * evaluates it before Quarkus boots. False (skip) when runc, skopeo, umoci or busybox is missing or we are not root;
     * throws (fails) instead under {@code CI=true}.
     */
    public static boolean readyForTheAgent() {
        try {
            require("runc", "skopeo", "umoci", "busybox");
            return true;
        } catch (TestAbortedException e) {
            return false;
        }
    }

    /**
     * Like {@link #readyForTheAgent()}, plus what hardware isolation needs: QEMU, busybox (static) and apt-get and
     * dpkg-deb for the guest kernel.
     */
    public static boolean readyForVms() {
        try {
            require("runc", "skopeo", "umoci", "busybox", "qemu-system-x86_64", "apt-get", "dpkg-deb", "setpriv",
                    "unshare");
            return true;
        } catch (TestAbortedException e) {
            return false;
        }
    }
}
