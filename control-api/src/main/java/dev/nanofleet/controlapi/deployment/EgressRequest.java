package dev.nanofleet.controlapi.deployment;

import static dev.nanofleet.controlapi.deployment.DeploymentRequestValidator.MAX_EGRESS_DESTINATIONS;
import static dev.nanofleet.controlapi.deployment.DeploymentRequestValidator.MAX_EGRESS_PORTS;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.nanofleet.nodeapi.EgressPolicy;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A deployment's egress policy as the API takes and shows it; the node enforces it (see {@link EgressPolicy}). Part of
 * the revision: a change rolls out replicas started with the new policy.
 */
@Schema(name = "Egress", description = "Where replicas may open connections beyond their node (TCP and UDP, through the node's NAT). Whatever the mode, the platform's own addresses, the nodes' networks, link-local addresses (169.254.0.0/16, metadata services) and the node itself stay unreachable.")
public record EgressRequest(
        @Schema(required = true, description = "allow-all (every address beyond the platform; the default), deny-all or allow-list") Mode mode,
        @Schema(description = "for allow-list only: the destinations allowed", maxItems = MAX_EGRESS_DESTINATIONS) List<Destination> allow) {

    /** The egress modes as the API spells them. */
    @Schema(name = "EgressMode")
    public enum Mode {
        ALLOW_ALL, DENY_ALL, ALLOW_LIST;

        @JsonCreator
        public static Mode parse(String value) {
            if (value == null) {
                return null;
            }
            for (Mode m : values()) {
                if (m.json().equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
            throw new IllegalArgumentException("'" + value + "' is not one of [allow-all, deny-all, allow-list]");
        }

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Destinations an allow-list lets replicas reach. */
    @Schema(name = "EgressDestination")
    public record Destination(
            @Schema(required = true, description = "an IPv4 network in CIDR form, no host bits set", example = "203.0.113.0/24") String cidr,
            @Schema(description = "destination ports, TCP and UDP; absent or empty for every port and protocol", maxItems = MAX_EGRESS_PORTS, uniqueItems = true) List<Integer> ports) {
    }

    /** The policy; call only on a valid request. */
    EgressPolicy toPolicy() {
        EgressPolicy.Mode m = EgressPolicy.Mode.valueOf(mode.name());
        return new EgressPolicy(m, allow == null
                ? List.of()
                : allow.stream().map(d -> new EgressPolicy.Destination(
                        d.cidr(), d.ports())).toList());
    }

    /** The API's view of a stored policy (null: the default, allow-all). */
    static EgressRequest of(EgressPolicy p) {
        EgressPolicy policy = p == null ? EgressPolicy.ALLOW_ALL : p;
        return new EgressRequest(Mode.valueOf(policy.mode().name()), policy.mode() == EgressPolicy.Mode.ALLOW_LIST
                ? policy.allow().stream().map(d -> new Destination(d.cidr(), d.ports())).toList()
                : null);
    }
}
