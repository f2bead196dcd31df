package dev.nanofleet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "logout", mixinStandardHelpOptions = true, description = "End the login session at the identity provider and delete the cached tokens.", footer = {
        "", "Example:", "  nanofleet logout"})
final class LogoutCommand implements Callable<Integer> {

    private final CliContext ctx;

    LogoutCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        CredentialStore store = new CredentialStore(ctx.configDir());
        var cached = store.load();
        if (cached.isEmpty()) {
            ctx.out().println("Not logged in.");
            return ExitCodes.OK;
        }
        Credentials c = cached.get();
        if (c.refreshToken() != null && c.issuer() != null) {
            try {
                new Oidc(ctx.http(), ctx.json(), ctx.clock(), c.issuer(), c.clientId()).revoke(c.refreshToken());
            } catch (CliException e) {
                // the local tokens go anyway: a provider that is down must not keep anyone logged in here
                ctx.err().println("warning: could not end the session at " + c.issuer() + ": " + e.getMessage());
            }
        }
        store.delete();
        ctx.out().println("Logged out.");
        return ExitCodes.OK;
    }
}
