package dev.nanofleet.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "completion", mixinStandardHelpOptions = true, description = "Print a shell completion script (bash; zsh loads it with bashcompinit).", footer = {
        "", "Examples:", "  source <(nanofleet completion bash)",
        "  nanofleet completion bash > /etc/bash_completion.d/nanofleet"})
final class CompletionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", defaultValue = "bash", description = "bash (default) or zsh.")
    String shell;

    private final CliContext ctx;

    CompletionCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new CliException(ExitCodes.USAGE, "no completion for " + shell + " (bash or zsh)");
        }
        ctx.out().print(AutoComplete.bash("nanofleet", spec.root().commandLine()));
        ctx.out().flush();
        return ExitCodes.OK;
    }
}
