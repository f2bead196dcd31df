package dev.nanofleet.node.controlplane;

import java.security.PublicKey;

/**
 * The grant a request to this agent carries from control-api ({@code Authorization: Bearer <signed grant>}), before
 * its kind is checked: the log, node-log and exec grant checks all start here, so they refuse alike.
 *
 * @param token the signed grant, null when refused
 * @param refusal why there is nothing to check, null when there is
 */
public record GrantBearer(String token, String refusal) {

    /** @param trusted control-api's key from the latest registration answer; null before the first */
    public static GrantBearer of(String authorization, PublicKey trusted) {
        if (trusted == null) {
            return new GrantBearer(null, "not registered with control-api yet");
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new GrantBearer(null, "a bearer grant from control-api is required");
        }
        return new GrantBearer(authorization.substring(7).strip(), null);
    }
}
