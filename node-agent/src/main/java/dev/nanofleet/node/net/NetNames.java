package dev.nanofleet.node.net;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Names of what the agent creates in the host's network stack. Interface names have at most 15 characters (IFNAMSIZ
 * 16 with the NUL), so they carry a hash: several agents may share one host (tests, {@code ./fleet up}, e2e), and
 * their names must not collide. Every device also gets the alias {@link #alias(Path)}, which names the agent (by its
 * state directory) that owns it, so {@code ./fleet down} can find and delete them.
 *
 * <ul>
 * <li>{@code nfb-<11 hex>}: a tenant's bridge, hash of node name, state directory and tenant</li>
 * <li>{@code nfv-<11 hex>}: the host end of a container's veth pair, hash of state directory and instance</li>
 * <li>{@code nfm-<11 hex>}: a VM's tap device, hash of state directory and instance</li>
 * <li>{@code nfx-<11 hex>}: a tenant's VXLAN device (its private network across nodes), hash of node name, state
 * directory and tenant</li>
 * <li>{@code nf-<owner>-<instance id>}: a container's network namespace (under {@code /run/netns})</li>
 * </ul>
 */
public final class NetNames {

    public static final String BRIDGE_PREFIX = "nfb-";
    public static final String VETH_PREFIX = "nfv-";
    public static final String TAP_PREFIX = "nfm-";
    public static final String NETNS_PREFIX = "nf-";
    public static final String VXLAN_PREFIX = "nfx-";
    /** The interface name wildcard iptables matches every tenant VXLAN device with. */
    public static final String VXLAN_WILDCARD = "nfx+";
    /** The interface name wildcard iptables matches every tenant bridge with. */
    public static final String BRIDGE_WILDCARD = "nfb+";

    private NetNames() {
    }

    public static String bridge(String nodeName, Path stateDir, String tenant) {
        return BRIDGE_PREFIX + hash(nodeName + "\n" + canonical(stateDir) + "\n" + tenant, 11);
    }

    public static String vxlan(String nodeName, Path stateDir, String tenant) {
        return VXLAN_PREFIX + hash(nodeName + "\n" + canonical(stateDir) + "\nvxlan\n" + tenant, 11);
    }

    public static String veth(Path stateDir, UUID instance) {
        return VETH_PREFIX + hash(canonical(stateDir) + "\nveth\n" + instance, 11);
    }

    public static String tap(Path stateDir, UUID instance) {
        return TAP_PREFIX + hash(canonical(stateDir) + "\ntap\n" + instance, 11);
    }

    public static String netns(Path stateDir, UUID instance) {
        return NETNS_PREFIX + owner(stateDir) + "-" + instance;
    }

    /** 16 hex characters naming the agent that owns a device: a hash of its state directory. */
    public static String owner(Path stateDir) {
        return hash(canonical(stateDir), 16);
    }

    /** The alias ({@code ip link set ... alias}) every device of this agent carries. */
    public static String alias(Path stateDir) {
        return "nanofleet-" + owner(stateDir);
    }

    /** A locally administered unicast MAC for a VM's NIC, stable per instance. */
    public static String mac(Path stateDir, UUID instance) {
        String h = hash(canonical(stateDir) + "\nmac\n" + instance, 10);
        return "02:" + h.substring(0, 2) + ":" + h.substring(2, 4) + ":" + h.substring(4, 6) + ":" + h.substring(6, 8)
                + ":" + h.substring(8, 10);
    }

    static String canonical(Path stateDir) {
        return stateDir.toAbsolutePath().normalize().toString();
    }

    static String hash(String text, int hexChars) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, hexChars);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
