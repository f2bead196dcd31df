package dev.nanofleet.cli;

/** A failure the user should read on stderr, and the exit code that tells scripts which kind it was. */
public class CliException extends RuntimeException {

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** What goes to stderr, possibly several lines; the first is prefixed with {@code error: }. */
    public String render() {
        return "error: " + getMessage();
    }
}
