package dev.nanofleet.cli;

import java.time.Clock;
import java.util.function.Function;

/**
 * Which bearer token a request carries: {@code NANOFLEET_TOKEN} when set (scripts, CI, {@code nfk_} API tokens), else
 * the cached login, refreshed with its refresh token when the access token has expired.
 */
public final class Auth {

    public static final String TOKEN_ENV = "NANOFLEET_TOKEN";

    private final String envToken;
    private final CredentialStore store;
    private final Clock clock;
    private final Function<Credentials, Oidc> oidcFor;

    public Auth(String envToken, CredentialStore store, Clock clock, Function<Credentials, Oidc> oidcFor) {
        this.envToken = envToken;
        this.store = store;
        this.clock = clock;
        this.oidcFor = oidcFor;
    }

    public String token() {
        if (envToken != null) {
            return envToken;
        }
        Credentials cached = store.load().orElseThrow(() -> new CliException(ExitCodes.NOT_LOGGED_IN,
                "not logged in: run `nanofleet login`, or set " + TOKEN_ENV + " to an API token"));
        if (cached.accessValidAt(clock.instant())) {
            return cached.accessToken();
        }
        if (!cached.refreshValidAt(clock.instant())) {
            throw new CliException(ExitCodes.NOT_LOGGED_IN, "the login has expired: run `nanofleet login` again");
        }
        Credentials refreshed;
        try {
            refreshed = oidcFor.apply(cached).refresh(cached.refreshToken());
        } catch (CliException e) {
            if (e.exitCode() == ExitCodes.UNREACHABLE) {
                throw e;
            }
            throw new CliException(ExitCodes.NOT_LOGGED_IN,
                    "the login could not be renewed (" + e.getMessage() + "): run `nanofleet login` again", e);
        }
        if (refreshed.refreshToken() == null) {
            // a provider that does not rotate refresh tokens keeps the old one valid
            refreshed = new Credentials(refreshed.issuer(), refreshed.clientId(), refreshed.accessToken(),
                    refreshed.accessExpiresAt(), cached.refreshToken(), cached.refreshExpiresAt());
        }
        store.save(refreshed);
        return refreshed.accessToken();
    }
}
