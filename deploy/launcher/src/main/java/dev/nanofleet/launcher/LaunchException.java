package dev.nanofleet.launcher;

/** A component did not start; the message says which and shows the end of its log. */
public class LaunchException extends RuntimeException {

    public LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
