package dev.nanofleet.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code nanofleet}: the command-line client of the public API. */
@Command(name = "nanofleet", mixinStandardHelpOptions = true, version = "nanofleet 0.1.0", description = "Deploy and run containers on Nanofleet from the command line.", subcommands = {
        LoginCommand.class, LogoutCommand.class, WhoamiCommand.class, DeployCommand.class,
        LsCommand.class, StatusCommand.class, LogsCommand.class, EventsCommand.class, ExecCommand.class,
        ScaleCommand.class, DeleteCommand.class, UpdateCommand.class, RollbackCommand.class, StopCommand.class,
        StartCommand.class, RestartCommand.class, RevisionsCommand.class,
        DomainsCommand.class, TokensCommand.class, QuotaCommand.class, UsageCommand.class, InvoicesCommand.class,
        SpendLimitCommand.class, NodesCommand.class, TenantsCommand.class,
        CompletionCommand.class, CommandLine.HelpCommand.class}, footer = {"", "Examples:", "  nanofleet login",
                "  nanofleet deploy -f nanofleet.yaml --wait",
                "  nanofleet ls", "  nanofleet logs hello -f",
                "  nanofleet usage --forecast",
                "", "Environment: NANOFLEET_API_URL, NANOFLEET_BILLING_URL, NANOFLEET_OIDC_ISSUER, NANOFLEET_TOKEN,",
                "  XDG_CONFIG_HOME.",
                "Exit codes: 0 ok, 1 API error, 2 usage, 3 not logged in, 4 wait failed, 5 API unreachable."})
public final class Nanofleet implements Runnable {

    @Spec
    CommandSpec spec;

    private final CliContext ctx;

    Nanofleet(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void run() {
        spec.commandLine().usage(ctx.out());
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        CliContext ctx = new CliContext(System.getenv(), System.in, out, err, System.console() != null,
                Clock.systemUTC(), d -> Thread.sleep(d.toMillis()), CliContext.httpClient(), CliContext.objectMapper());
        int code = run(ctx, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line and returns its exit code; what the tests call. */
    public static int run(CliContext ctx, String... args) {
        return commandLine(ctx).execute(args);
    }

    static CommandLine commandLine(CliContext ctx) {
        CommandLine cli = new CommandLine(Nanofleet.class, new CommandFactory(ctx));
        cli.setOut(ctx.out()).setErr(ctx.err());
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof CliException failure) {
                ctx.err().println(failure.render());
                ctx.err().flush();
                return failure.exitCode();
            }
            ctx.err().println("error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            if (ctx.env("NANOFLEET_DEBUG") != null) {
                e.printStackTrace(ctx.err());
            }
            ctx.err().flush();
            return ExitCodes.API_ERROR;
        });
        return cli;
    }
}
