package dev.nanofleet.controlapi.security;

import dev.nanofleet.controlapi.problem.ProblemException;
import dev.nanofleet.nodeapi.NodeApi;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who is calling, as the verified access token says. */
@RequestScoped
public class Caller {

    public static final String TENANT_CLAIM = "tenant";
    public static final String TRUST_CLAIM = "tenant_trust";

    @Inject
    JsonWebToken token;

    /** The caller's tenant; a token without one (an operator, a node) may not use tenant endpoints. */
    public Tenant tenant() {
        String tenant = claim(TENANT_CLAIM);
        if (tenant == null || tenant.isBlank()) {
            throw ProblemException.forbidden("the token names no tenant, so it cannot use tenant endpoints");
        }
        return new Tenant(tenant, Tenant.trustOf(claim(TRUST_CLAIM)));
    }

    /** Checks that a node token speaks for the node named in the path: a node may only read and report its own. */
    public void requireNode(String node) {
        String claimed = claim(NodeApi.NODE_CLAIM);
        if (claimed == null || !claimed.equals(node)) {
            throw ProblemException.forbidden("this token speaks for node '" + (claimed == null ? "" : claimed)
                    + "' and may not act for node '" + node + "'");
        }
    }

    private String claim(String name) {
        Object value = token.getClaim(name);
        if (value instanceof jakarta.json.JsonString json) {
            return json.getString();
        }
        return value == null ? null : value.toString();
    }
}
