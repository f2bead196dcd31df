package dev.nanofleet.cli;

/**
 * The exit codes scripts can test; cli/README.md lists them. Picocli's own usage errors already exit with
 * {@link #USAGE}.
 */
public final class ExitCodes {

    public static final int OK = 0;
    /** The API refused the request (a 4xx other than 401, or a 5xx); the problem's detail is on stderr. */
    public static final int API_ERROR = 1;
    public static final int USAGE = 2;
    /** No credentials, an expired session, or a 401 (e.g. a revoked API token). */
    public static final int NOT_LOGGED_IN = 3;
    /** {@code deploy --wait} saw a replica fail or ran out of time. */
    public static final int WAIT_FAILED = 4;
    /** No answer from the API or the identity provider (connection refused, DNS, time-out). */
    public static final int UNREACHABLE = 5;

    private ExitCodes() {
    }

    /** The exit code for an HTTP error status from the API. */
    public static int forStatus(int status) {
        return status == 401 ? NOT_LOGGED_IN : API_ERROR;
    }
}
