package dev.nanofleet.nodeapi;

/**
 * The exec WebSocket's channels, the same on the public API and between control-api and a node agent (see
 * control-api/README.md, "Exec"): each binary message starts with its channel byte, like Kubernetes'
 * {@code v5.channel.k8s.io}.
 */
public final class ExecChannels {

    public static final int STDIN = 0;
    public static final int STDOUT = 1;
    public static final int STDERR = 2;
    /** Last message from the server: JSON {@code {"status":"Success"|"Failure","exitCode":N|null,"reason":...}}. */
    public static final int STATUS = 3;
    /** JSON {@code {"Width":cols,"Height":rows}}. */
    public static final int RESIZE = 4;
    /** One byte follows: the channel the client closes ({@code 0}: stdin's EOF). */
    public static final int CLOSE = 255;
    /** The largest message either side sends: the channel byte and 32 KiB. */
    public static final int MAX_MESSAGE = 1 + 32 * 1024;

    private ExecChannels() {
    }
}
