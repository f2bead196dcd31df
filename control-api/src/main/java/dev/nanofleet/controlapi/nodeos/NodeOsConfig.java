package dev.nanofleet.controlapi.nodeos;

import jakarta.validation.constraints.Pattern;
import java.util.Optional;

/** {@code nanofleet.control-api.node-os.*}: the node OS releases control-api hands out. */
public interface NodeOsConfig {

    /**
     * A directory holding one directory per release, named after its version, each with the files of
     * {@code deploy/node-image/release} and their {@code manifest.json}. Unset: no releases, and upgrades are refused
     * with 409. Env form: {@code NANOFLEET_CONTROL_API_NODE_OS_RELEASES_DIR}.
     */
    Optional<@Pattern(regexp = "/.*", message = "must be an absolute path") String> releasesDir();
}
