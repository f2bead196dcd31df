package dev.nanofleet.cli;

import java.net.URI;
import picocli.CommandLine.Option;

/** The options every command that talks to the API takes; mixed into each of them. */
public final class GlobalOptions {

    @Option(names = "--api-url", paramLabel = "URL", description = "The API's base URL (default: $NANOFLEET_API_URL, else "
            + CliContext.DEFAULT_API_URL + ").")
    String apiUrl;

    @Option(names = "--json", description = "Print the API's JSON instead of a table.")
    boolean json;

    public URI apiUrl(CliContext ctx) {
        String url = apiUrl != null ? apiUrl : ctx.env("NANOFLEET_API_URL");
        return URI.create(url != null ? url : CliContext.DEFAULT_API_URL);
    }

    public ApiClient api(CliContext ctx) {
        CredentialStore store = new CredentialStore(ctx.configDir());
        Auth auth = new Auth(ctx.env(Auth.TOKEN_ENV), store, ctx.clock(),
                c -> new Oidc(ctx.http(), ctx.json(), ctx.clock(), c.issuer(), c.clientId()));
        return new ApiClient(ctx.http(), ctx.json(), apiUrl(ctx), auth::token);
    }

    public Renderer renderer(CliContext ctx) {
        return new Renderer(ctx.out(), ctx.json(), json);
    }
}
