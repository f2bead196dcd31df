package dev.nanofleet.controlapi.security;

import dev.nanofleet.controlapi.enrollment.NodeCredentialPrincipal;
import dev.nanofleet.controlapi.problem.ProblemException;
import dev.nanofleet.controlapi.tenant.TenantEntity;
import dev.nanofleet.controlapi.tenant.TenantState;
import dev.nanofleet.controlapi.tenant.Tenants;
import dev.nanofleet.controlapi.token.ApiTokenPrincipal;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling, as the verified credential says: a Keycloak access token (people), an API token or a node
 * credential. Every
 * tenant endpoint asks it for the tenant with the scope it needs; the tenant's trust and state come from control-api's
 * tenant record, never from the token, so an operator's change takes effect on the next request.
 */
@RequestScoped
public class Caller {

    public static final String TENANT_CLAIM = "tenant";
    public static final String TENANT_ROLE = "tenant";
    public static final String OPERATOR_ROLE = "operator";
    public static final String API_TOKEN_ATTRIBUTE = "nanofleet.api-token";

    private final SecurityIdentity identity;
    private final Tenants tenants;

    Caller(SecurityIdentity identity, Tenants tenants) {
        this.identity = identity;
        this.tenants = tenants;
    }

    /** The caller in control-api's terms; a node or an anonymous caller is neither a tenant nor an operator. */
    public CallerIdentity identity() {
        ApiTokenPrincipal token = identity.getAttribute(API_TOKEN_ATTRIBUTE);
        if (token != null) {
            return new CallerIdentity(token.getName(), token.tenant(), token.operator(), token.scopes(),
                    token.expiresAt(), token.id());
        }
        if (identity.getPrincipal() instanceof NodeCredentialPrincipal node) {
            return new CallerIdentity(node.getName(), null, false, Set.of(), null, null);
        }
        boolean operator = identity.hasRole(OPERATOR_ROLE);
        String tenant = identity.hasRole(TENANT_ROLE) ? blankToNull(claim(TENANT_CLAIM)) : null;
        String user = claim("preferred_username");
        return new CallerIdentity("user:" + (user == null ? identity.getPrincipal().getName() : user), tenant,
                operator, tenant != null || operator ? Scope.ALL : Set.of(), null, null);
    }

    /**
     * The caller's tenant for an operation that needs {@code scope}. Refused (403) when the credential names no
     * tenant, lacks the scope, or, for anything but reading, when the tenant is suspended.
     */
    public Tenant tenant(Scope scope) {
        CallerIdentity caller = identity();
        if (caller.tenant() == null) {
            throw ProblemException.forbidden("the token names no tenant, so it cannot use tenant endpoints");
        }
        requireScope(caller, scope);
        TenantEntity tenant = tenants.find(caller.tenant()).orElseThrow(() -> ProblemException
                .forbidden("tenant '" + caller.tenant() + "' is not known to Nanofleet; ask an operator"));
        if (scope != Scope.READ && tenant.state() == TenantState.SUSPENDED) {
            throw ProblemException.forbidden("tenant '" + tenant.id()
                    + "' is suspended: its instances are stopped and it may read but change nothing; ask an operator");
        }
        return new Tenant(tenant.id(), tenant.trustForNewWork(), caller.actor());
    }

    /** Checks that the caller is an operator (a person or an operator token) holding {@code scope}. */
    public CallerIdentity operator(Scope scope) {
        CallerIdentity caller = identity();
        if (!caller.operator()) {
            throw ProblemException.forbidden("only operators may do this");
        }
        requireScope(caller, scope);
        return caller;
    }

    /**
     * Checks that a node credential speaks for the node named in the path: a node may only read and report its own.
     */
    public void requireNode(String node) {
        String enrolled = identity.getPrincipal() instanceof NodeCredentialPrincipal p ? p.nodeName() : null;
        if (enrolled == null || !enrolled.equals(node)) {
            throw ProblemException.forbidden("this credential speaks for node '" + (enrolled == null ? "" : enrolled)
                    + "' and may not act for node '" + node + "'");
        }
    }

    private static void requireScope(CallerIdentity caller, Scope scope) {
        if (!caller.scopes().contains(scope)) {
            throw ProblemException.forbidden("this API token lacks the '" + scope.json() + "' scope");
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
