package dev.nanofleet.events;

/** A record that is not a valid Nanofleet event. Consumers log it with its offset and move on. */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
