package dev.nanofleet.node.testing;

import dev.nanofleet.testsupport.DemoImage;
import dev.nanofleet.testsupport.HostTools;
import dev.nanofleet.testsupport.OciRegistry;
import org.opentest4j.TestAbortedException;

/**
 * What a node-agent IT needs of the host on top of {@link HostTools#require(String...)}: root, because runc here
 * creates cgroups. Like {@code HostTools}, a missing requirement skips the test with a printed reason, and fails it
 * under {@code CI=true}.
 */
public final class NodeHost {
    private static String demoImage;

    private NodeHost() {
    }

    /**
     * The demo image as a registry reference in the JVM's shared registry ({@link OciRegistry#shared()}), pushed once:
     * the node pulls from registries only, never from a local layout.
     */
    public static synchronized String demoImage() {
        if (demoImage == null) {
            demoImage = DemoImage.pushTo(OciRegistry.shared());
        }
        return demoImage;
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
     * evaluates it before Quarkus boots. False (skip) when runc, skopeo, umoci, busybox or docker-registry is missing or we are not root;
     * throws (fails) instead under {@code CI=true}.
     */
    public static boolean readyForTheAgent() {
        try {
            require("runc", "skopeo", "umoci", "busybox", "docker-registry");
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
            require("runc", "skopeo", "umoci", "busybox", "docker-registry", "qemu-system-x86_64", "apt-get",
                    "dpkg-deb", "setpriv", "unshare");
            return true;
        } catch (TestAbortedException e) {
            return false;
        }
    }

    /** Like {@link #readyForVms()}, plus gcc to build the exec helper that is the VMs' guest agent. */
    public static boolean readyForVmsWithTheExecHelper() {
        try {
            require("gcc");
            return readyForVms();
        } catch (TestAbortedException e) {
            return false;
        }
    }
}
