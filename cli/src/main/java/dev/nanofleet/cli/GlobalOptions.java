package dev.nanofleet.cli;

import java.net.URI;
import picocli.CommandLine.Option;

/** The options every command that talks to the API takes; mixed into each of them. */
public final class GlobalOptions {

    static final String BILLING_URL_ENV = "NANOFLEET_BILLING_URL";

    @Option(names = "--api-url", paramLabel = "URL", description = "The API's base URL (default: $NANOFLEET_API_URL, else "
            + CliContext.DEFAULT_API_URL + ").")
    String apiUrl;

    @Option(names = "--billing-url", paramLabel = "URL", description = "tenant-billing's base URL, for usage, invoices and spend-limit (default: $"
            + BILLING_URL_ENV + ").")
    String billingUrl;

    @Option(names = "--json", description = "Print the API's JSON instead of a table.")
    boolean json;

    public URI apiUrl(CliContext ctx) {
        String url = apiUrl != null ? apiUrl : ctx.env("NANOFLEET_API_URL");
        return URI.create(url != null ? url : CliContext.DEFAULT_API_URL);
    }

    /**
     * tenant-billing's base URL. No default: it is a service of its own, and guessing a port would send a tenant's
     * credentials wherever that port leads.
     */
    public URI billingUrl(CliContext ctx) {
        String url = billingUrl != null ? billingUrl : ctx.env(BILLING_URL_ENV);
        if (url == null) {
            throw new CliException(ExitCodes.USAGE, "no billing URL: set " + BILLING_URL_ENV
                    + " (`./fleet up` writes it to .fleet/env) or pass --billing-url");
        }
        return URI.create(url);
    }

    /** A client of control-api. */
    public ApiClient api(CliContext ctx) {
        return new ApiClient(ctx.http(), ctx.json(), apiUrl(ctx), ApiClient.Service.CONTROL, auth(ctx)::token);
    }

    /** A client of tenant-billing: the same credentials as control-api's, another base URL. */
    public ApiClient billing(CliContext ctx) {
        URI url = billingUrl(ctx);
        return new ApiClient(ctx.http(), ctx.json(), url, ApiClient.Service.BILLING, auth(ctx)::token);
    }

    public Renderer renderer(CliContext ctx) {
        return new Renderer(ctx.out(), ctx.json(), json);
    }

    private static Auth auth(CliContext ctx) {
        CredentialStore store = new CredentialStore(ctx.configDir());
        return new Auth(ctx.env(Auth.TOKEN_ENV), store, ctx.clock(),
                c -> new Oidc(ctx.http(), ctx.json(), ctx.clock(), c.issuer(), c.clientId()));
    }
}
