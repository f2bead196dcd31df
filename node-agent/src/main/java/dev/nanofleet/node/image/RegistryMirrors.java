package dev.nanofleet.node.image;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where this node pulls a registry's images from instead of the registry itself, as podman's and containerd's mirrors
 * do: a node in another network (a node OS under QEMU, a site with a pull-through cache) reaches the same images by
 * another address. Deployments keep naming the registry; only the pull goes elsewhere, and the digest the node runs is
 * still the one the mirror's manifest hashes to. Rendered as a {@code registries.conf} that skopeo reads.
 */
public record RegistryMirrors(Map<String, String> mirrorByRegistry) {

    public static final RegistryMirrors NONE = new RegistryMirrors(Map.of());

    /** host or host:port, nothing else: the value ends up quoted in a TOML file. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})(:[0-9]{1,5})?");

    public RegistryMirrors {
        mirrorByRegistry = Collections.unmodifiableMap(new TreeMap<>(mirrorByRegistry));
    }

    /**
     * @param entries {@code registry=mirror} pairs, each a host with an optional port
     * @throws IllegalArgumentException naming the entry that is not one
     */
    public static RegistryMirrors parse(List<String> entries) {
        Map<String, String> mirrors = new TreeMap<>();
        for (String entry : entries) {
            String[] parts = entry.strip().split("=", -1);
            if (parts.length != 2 || !isHost(parts[0]) || !isHost(parts[1])) {
                throw new IllegalArgumentException("registry mirror '" + entry
                        + "' is not REGISTRY=MIRROR with each a host or host:port (e.g. 127.0.0.1:5000=10.0.2.2:5000)");
            }
            if (mirrors.put(parts[0], parts[1]) != null) {
                throw new IllegalArgumentException("registry " + parts[0] + " has more than one mirror");
            }
        }
        return new RegistryMirrors(mirrors);
    }

    private static boolean isHost(String s) {
        if (!HOST.matcher(s).matches()) {
            return false;
        }
        int colon = s.indexOf(':');
        return colon < 0 || Integer.parseInt(s.substring(colon + 1)) <= 65535;
    }

    public boolean isEmpty() {
        return mirrorByRegistry.isEmpty();
    }

    /**
     * The {@code registries.conf} (version 2) naming each registry's mirror; pulls fall back to the registry itself
     * when the mirror fails, as skopeo does for every mirror.
     *
     * @param insecure true when the node pulls without TLS verification (a local registry in dev and tests)
     */
    public String registriesConf(boolean insecure) {
        StringBuilder conf = new StringBuilder("# written by the node agent from nanofleet.node.registry.mirrors\n");
        mirrorByRegistry.forEach((registry, mirror) -> conf.append("\n[[registry]]\nlocation = \"").append(registry)
                .append("\"\ninsecure = ").append(insecure).append("\n[[registry.mirror]]\nlocation = \"")
                .append(mirror).append("\"\ninsecure = ").append(insecure).append('\n'));
        return conf.toString();
    }
}
