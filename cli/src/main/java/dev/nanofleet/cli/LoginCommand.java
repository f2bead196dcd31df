package dev.nanofleet.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "login", mixinStandardHelpOptions = true, description = {
        "Log in with your browser (OIDC device authorization) and cache the tokens.",
        "The tokens go to $XDG_CONFIG_HOME/nanofleet/credentials.json (mode 0600) and are refreshed when "
                + "they expire."}, footer = {"", "Examples:", "  nanofleet login",
                        "  nanofleet login --issuer https://id.example.com/realms/nanofleet",
                        "  printf '%s' \"$PASSWORD\" | nanofleet login --username bob --password-stdin"})
final class LoginCommand implements Callable<Integer> {

    @Option(names = "--issuer", paramLabel = "URL", description = "The OIDC issuer (default: $NANOFLEET_OIDC_ISSUER, else "
            + CliContext.DEFAULT_ISSUER + ").")
    String issuer;

    @Option(names = "--client-id", defaultValue = Oidc.DEFAULT_CLIENT_ID, description = "The public OIDC client "
            + "(default: ${DEFAULT-VALUE}).")
    String clientId;

    @Option(names = "--username", description = "Log in with a password instead of the browser (scripts, tests).")
    String username;

    @Option(names = "--password-stdin", description = "Read the password from the first line of stdin.")
    boolean passwordStdin;

    private final CliContext ctx;

    LoginCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        String iss = issuer != null ? issuer : ctx.env("NANOFLEET_OIDC_ISSUER");
        Oidc oidc = new Oidc(ctx.http(), ctx.json(), ctx.clock(), iss != null ? iss : CliContext.DEFAULT_ISSUER,
                clientId);
        Credentials credentials;
        if (username != null) {
            if (!passwordStdin) {
                // a password on the command line would land in the shell history and in ps
                throw new CliException(ExitCodes.USAGE, "--username needs --password-stdin");
            }
            credentials = oidc.passwordGrant(username, readPassword());
        } else {
            if (passwordStdin) {
                throw new CliException(ExitCodes.USAGE, "--password-stdin needs --username");
            }
            Oidc.DeviceAuthorization device = oidc.startDeviceAuthorization();
            String url = device.verificationUriComplete() != null
                    ? device.verificationUriComplete()
                    : device.verificationUri();
            ctx.err().println("To log in, open this address in a browser:");
            ctx.err().println();
            ctx.err().println("  " + url);
            ctx.err().println();
            ctx.err().println("and check that it shows the code " + device.userCode() + ". Waiting (up to "
                    + device.expiresIn().toMinutes() + " min)...");
            ctx.err().flush();
            credentials = oidc.awaitDeviceToken(device, ctx.sleeper());
        }
        CredentialStore store = new CredentialStore(ctx.configDir());
        store.save(credentials);
        String who = claim(credentials.accessToken(), "preferred_username");
        ctx.out().println("Logged in" + (who != null ? " as " + who : "") + " at " + credentials.issuer() + ".");
        if (ctx.env(Auth.TOKEN_ENV) != null) {
            ctx.err().println(
                    "note: " + Auth.TOKEN_ENV + " is set and wins over this login; unset it to use the login.");
        }
        return ExitCodes.OK;
    }

    private String readPassword() {
        try {
            String line = new BufferedReader(new InputStreamReader(ctx.in(), StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new CliException(ExitCodes.USAGE, "no password on stdin");
            }
            return line;
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read the password from stdin: " + e.getMessage(), e);
        }
    }

    /** A claim of a JWT's payload, for the greeting only: the token's signature is the API's business. */
    private String claim(String jwt, String name) {
        String[] parts = jwt == null ? new String[0] : jwt.split("\\.");
        if (parts.length < 2) {
            return null;
        }
        try {
            return ctx.json().readTree(Base64.getUrlDecoder().decode(parts[1])).path(name).asText(null);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
