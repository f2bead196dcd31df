package dev.nanofleet.controlapi.deployment;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nanofleet.controlapi.openapi.EnumNames;
import dev.nanofleet.controlapi.openapi.IsolationName;
import dev.nanofleet.events.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One revision as the API shows it: its spec without secret values, who made it and why, and how it differs from the
 * revision before ({@code diff}: each changed field with its value before and after; a secret by name only).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Revision")
public record RevisionView(@Schema(required = true) int revision,
        @Schema(required = true, description = "whether the deployment runs (or rolls out) this revision now") boolean current,
        @Schema(required = true, type = SchemaType.STRING, enumeration = {
                "create", "update", "rollback",
                "auto-rollback", "restart"}) String cause,
        @Schema(description = "for a rollback: the revision whose spec this one runs again") Integer rollbackOf,
        @Schema(description = "who made it: user:<name> or token:<id>; absent when the platform did (an automatic rollback)") String actor,
        @Schema(required = true) Instant createdAt,
        @Schema(required = true, description = "the fields that differ from the revision before") List<String> changed,
        @Schema(required = true) List<Change> diff, @Schema(required = true) Spec spec){

    /** One changed field: its value in the revision before and in this one (absent when unset). */
    public record Change(@Schema(required = true) String field, Object from, Object to) {
    }

    /** What the revision runs. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Spec(@Schema(required = true) String image, List<String> command, Map<String, String> env,
            @Schema(required = true) List<String> secretNames,
            @Schema(description = "the registry login's user name") String imageCredentialsUsername,
            @Schema(required = true, implementation = CreateDeploymentRequest.ResourcesRequest.class) Resources resources,
            @Schema(required = true, implementation = IsolationName.class) String isolation,
            @Schema(required = true) DeploymentView.RestartPolicyView restartPolicy,
            @Schema(required = true) List<Integer> ports,
            @Schema(required = true, description = "the ports of ports the edge forwards as plain TCP; the others are http") List<Integer> tcpPorts,
            HealthCheckRequest healthCheck, @Schema(required = true) EgressRequest egress) {

        static Spec of(RevisionSpec s) {
            return new Spec(s.image(), s.command(), s.env(), List.copyOf(new TreeSet<>(s.secretsSealed().keySet())),
                    s.registryUsername(), s.resources(), EnumNames.json(s.isolation()),
                    new DeploymentView.RestartPolicyView(RestartMode.of(s.restartMode()), s.restartMaxRetries()),
                    s.ports(), s.tcpPorts(), HealthCheckRequest.of(s.healthCheck()), EgressRequest.of(s.egress()));
        }
    }

    static RevisionView of(DeploymentRevisionEntity r, DeploymentRevisionEntity before, int current) {
        Spec spec = Spec.of(r.spec);
        List<Change> diff = new ArrayList<>();
        if (before != null) {
            Spec was = Spec.of(before.spec);
            add(diff, "image", was.image(), spec.image());
            add(diff, "command", was.command(), spec.command());
            add(diff, "env", was.env(), spec.env());
            add(diff, "secretNames", was.secretNames(), spec.secretNames());
            add(diff, "imageCredentials.username", was.imageCredentialsUsername(), spec.imageCredentialsUsername());
            add(diff, "resources", was.resources(), spec.resources());
            add(diff, "isolation", was.isolation(), spec.isolation());
            add(diff, "restartPolicy", was.restartPolicy(), spec.restartPolicy());
            add(diff, "ports", was.ports(), spec.ports());
            add(diff, "tcpPorts", was.tcpPorts(), spec.tcpPorts());
            add(diff, "healthCheck", was.healthCheck(), spec.healthCheck());
            add(diff, "egress", was.egress(), spec.egress());
            // a secret given again has a new value nobody may see: named, not shown
            r.changed.stream().filter(c -> c.startsWith("secrets.")).forEach(c -> diff.add(new Change(c, null, null)));
        }
        return new RevisionView(r.number, r.number == current, EnumNames.json(r.cause()), r.rollbackOf, r.actor,
                r.createdAt, r.changed, diff, spec);
    }

    private static void add(List<Change> diff, String field, Object from, Object to) {
        if (!Objects.equals(from, to)) {
            diff.add(new Change(field, from, to));
        }
    }
}
