package dev.nanofleet.controlapi.tenant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The bodies of the operators' tenant endpoints. Checked by {@link TenantRequestValidator}. */
public final class TenantRequests {

    private TenantRequests() {
    }

    /** {@code POST /v1/tenants}: the tenant and its first user, whose one-time password is answered once. */
    @Schema(name = "CreateTenant")
    public record Create(
            @Schema(description = "DNS label, the tenant claim of its users' tokens", example = "initech", required = true, pattern = "^[a-z][a-z0-9-]{1,30}[a-z0-9]$") String id,
            @Schema(description = "display name", example = "Initech", required = true, maxLength = 100) String name,
            @Schema(description = "trusted or untrusted; untrusted tenants run only hardware-isolated", defaultValue = "untrusted", enumeration = {
                    "trusted", "untrusted"}) String trust,
            QuotaRequest.Both quotas, @Schema(required = true) FirstUser firstUser){
    }

    /** The tenant's first user: made in Keycloak with a temporary password it must change at first login. */
    @Schema(name = "FirstUser")
    public record FirstUser(
            @Schema(example = "peter", required = true, pattern = "^[a-z0-9][a-z0-9._-]{1,62}$") String username,
            @Schema(example = "peter@initech.example", maxLength = 254) String email,
            @Schema(example = "Peter", maxLength = 100, description = "asked at first sign-in when left out") String firstName,
            @Schema(example = "Gibbons", maxLength = 100, description = "asked at first sign-in when left out") String lastName) {

        public FirstUser(String username, String email) {
            this(username, email, null, null);
        }
    }

    /** {@code PATCH /v1/tenants/{id}}: only the fields given change. */
    @Schema(name = "UpdateTenant")
    public record Update(@Schema(maxLength = 100) String name,
            @Schema(description = "lowering to untrusted moves the tenant's shared-kernel replicas to hardware isolation", enumeration = {
                    "trusted", "untrusted"}) String trust,
            @Schema(description = "suspended stops every instance and refuses writes", enumeration = {"active",
                    "suspended"}) String state,
            QuotaRequest.Both quotas){
    }
}
