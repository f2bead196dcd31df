package dev.nanofleet.cli;

/** The API answered with an error status; carries its problem detail. */
public class ApiException extends CliException {

    private final Problem problem;

    public ApiException(Problem problem) {
        super(ExitCodes.forStatus(problem.status()), problem.describe());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    @Override
    public String render() {
        String text = "error: " + problem.describe();
        if (problem.status() == 401) {
            return text + "\n(log in again with `nanofleet login`, or set NANOFLEET_TOKEN to a valid API token)";
        }
        return text;
    }
}
