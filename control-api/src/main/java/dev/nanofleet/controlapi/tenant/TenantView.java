package dev.nanofleet.controlapi.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nanofleet.controlapi.openapi.EnumNames;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A tenant as operators see it, with the quotas in force (its own values, the defaults elsewhere) and its spend hold
 * while its hard spend limit is reached.
 */
@Schema(name = "Tenant")
public record TenantView(@Schema(required = true) String id, @Schema(required = true) String name,
        @Schema(required = true, enumeration = {
                "trusted", "untrusted"}) String trust,
        @Schema(description = "untrusted while a lowering of trust waits for the tenant's last shared-kernel replica to stop; absent otherwise", enumeration = {
                "untrusted"}) String pendingTrust,
        @Schema(required = true, enumeration = {"active", "suspended"}) String state,
        @Schema(required = true) Quotas quotas, @Schema(required = true) Instant createdAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "present while the tenant's hard spend limit is reached") SpendHoldView spendHold){

    /** The quotas in force per isolation mode. */
    @Schema(name = "TenantQuotas")
    public record Quotas(@Schema(required = true) Quota shared, @Schema(required = true) Quota hardware) {
    }

    static TenantView of(TenantEntity t, Quotas quotas) {
        return new TenantView(t.id, t.name, EnumNames.json(t.trust),
                t.trustLowering ? "untrusted" : null, t.state.json(), quotas, t.createdAt,
                SpendHoldView.of(t).orElse(null));
    }

    /** The answer to a create: the tenant and its first user's one-time password, shown this once. */
    @Schema(name = "CreatedTenant")
    public record Created(@Schema(required = true) TenantView tenant, @Schema(required = true) FirstUser firstUser) {
    }

    /** The first user's sign-in: the password works once, then Keycloak asks for a new one. */
    @Schema(name = "CreatedFirstUser")
    public record FirstUser(@Schema(required = true) String username,
            @Schema(required = true, description = "one-time password, shown only in this answer") String temporaryPassword) {

        @Override
        public String toString() {
            return "FirstUser[username=" + username + ", temporaryPassword=***]";
        }
    }

    /** Use against every quota of a tenant. */
    @Schema(name = "TenantUsage")
    public record Usage(@Schema(required = true) String tenant, @Schema(required = true) List<QuotaUse> quotas,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "present while the tenant's hard spend limit is reached") SpendHoldView spendHold) {
    }

    /** One quota: an isolation mode's resource, its limit and what the tenant's live deployments reserve. */
    @Schema(name = "QuotaUse")
    public record QuotaUse(@Schema(required = true, enumeration = {
            "shared", "hardware"}) String isolation,
            @Schema(required = true, enumeration = {"cpuMillis", "memoryMiB", "instances"}) String resource,
            @Schema(required = true) long limit, @Schema(required = true) long used){
    }
}
