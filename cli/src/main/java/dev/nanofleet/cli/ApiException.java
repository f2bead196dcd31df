package dev.nanofleet.cli;

/** The API answered with an error status; carries its problem detail. */
public class ApiException extends CliException {

    /** control-api's 402: the tenant's hard spend limit is reached, so nothing that spends more is accepted. */
    static final String SPEND_LIMIT_REACHED = "spend-limit-reached";

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
        if (problem.is(SPEND_LIMIT_REACHED)) {
            return text + "\n(see `nanofleet spend-limit`; raise the limit with `nanofleet spend-limit set AMOUNT` or"
                    + " remove it with `nanofleet spend-limit remove`; stopping, scaling down and deleting still work)";
        }
        return text;
    }
}
