package dev.nanofleet.node.core;

/** An image could not be pulled or unpacked. The message says why, in words a tenant understands. */
public class ImagePullException extends RuntimeException {

    public enum Kind {
        /** The registry does not have this repository or tag. */
        NOT_FOUND,
        /** The registry wants credentials the node does not have (or refused them). */
        UNAUTHORIZED,
        /** The registry could not be reached (DNS, connection refused, TLS, timeout). */
        UNREACHABLE,
        /** The reference is malformed. */
        INVALID_REFERENCE,
        /** Anything else: a corrupt image, a full disk, an unpack failure. */
        OTHER
    }

    private final Kind kind;

    public ImagePullException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
