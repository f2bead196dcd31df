package dev.nanofleet.node.core;

/** control-api could not be reached, refused the node's credentials, or answered with something unexpected. */
public class ControlPlaneException extends RuntimeException {
    public ControlPlaneException(String message) {
        super(message);
    }

    public ControlPlaneException(String message, Throwable cause) {
        super(message, cause);
    }
}
