package dev.nanofleet.tenantbilling.security;

import dev.nanofleet.tenantbilling.api.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling, as the verified credential says: a Keycloak access token (role {@code tenant} with claim
 * {@code tenant}, or role {@code operator}) or an API token control-api vouched for. Every endpoint asks it for the
 * tenant with the scope it needs, or for an operator; a refusal is a 403 problem saying what is missing.
 */
@RequestScoped
public class BillingCaller {

    public static final String TENANT_CLAIM = "tenant";
    public static final String TENANT_ROLE = "tenant";
    public static final String OPERATOR_ROLE = "operator";
    public static final String API_TOKEN_ATTRIBUTE = "nanofleet.api-token";

    private final SecurityIdentity identity;

    BillingCaller(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** The caller; a node or any other account is neither a tenant nor an operator and holds no scope. */
    public CallerIdentity identity() {
        ApiTokenIdentity token = identity.getAttribute(API_TOKEN_ATTRIBUTE);
        if (token != null) {
            return new CallerIdentity(token.subject(), token.tenant(), token.operator(), token.scopes());
        }
        boolean operator = identity.hasRole(OPERATOR_ROLE);
        String tenant = identity.hasRole(TENANT_ROLE) ? blankToNull(claim(TENANT_CLAIM)) : null;
        String user = claim("preferred_username");
        return new CallerIdentity("user:" + (user == null ? identity.getPrincipal().getName() : user), tenant,
                operator, tenant != null || operator ? Scope.ALL : Set.of());
    }

    /** The caller's tenant for an operation that needs {@code scope}. */
    public TenantCaller tenant(Scope scope) {
        CallerIdentity caller = identity();
        if (caller.tenant() == null) {
            throw ProblemException.forbidden(caller.operator()
                    ? "operators have no tenant of their own; billing data of tenants is under /v1/operator"
                    : "the token names no tenant, so it cannot read or change a tenant's billing");
        }
        requireScope(caller, scope);
        return new TenantCaller(caller.tenant(), caller.actor());
    }

    /**
     * Whose data the caller may read: its own tenant's (scope {@code read}), or, for an operator allowed to read, every
     * tenant's (empty). For what a tenant and the platform's operators both look at, such as one instance's samples.
     */
    public Optional<String> readableTenant() {
        CallerIdentity caller = identity();
        if (caller.operator()) {
            requireScope(caller, Scope.READ);
            return Optional.empty();
        }
        return Optional.of(tenant(Scope.READ).tenant());
    }

    /** Checks that the caller is an operator (a person or an operator's token) allowed to read. */
    public CallerIdentity operator() {
        CallerIdentity caller = identity();
        if (!caller.operator()) {
            throw ProblemException.forbidden("only operators may see the platform's revenue");
        }
        requireScope(caller, Scope.READ);
        return caller;
    }

    private static void requireScope(CallerIdentity caller, Scope scope) {
        if (!caller.scopes().contains(scope)) {
            throw ProblemException.forbidden("this API token lacks the '" + scope.json() + "' scope this needs");
        }
    }

    private String claim(String name) {
        if (!(identity.getPrincipal() instanceof JsonWebToken token)) {
            return null;
        }
        Object value = token.getClaim(name);
        if (value instanceof jakarta.json.JsonString json) {
            return json.getString();
        }
        return value == null ? null : value.toString();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
