package dev.nanofleet.node.app;

import dev.nanofleet.node.logs.LogReader;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.Arrays;

/**
 * Hands a log's chunks to an HTTP response, waiting while the client reads slower than the log is read: the instance
 * logs' and the node's own logs' streams alike.
 */
record EmitterSink(MultiEmitter<? super byte[]> emitter) implements LogReader.Sink {

    /** How long the reader waits for the client to want more before it looks again. */
    private static final long BACKPRESSURE_WAIT_MS = 10;

    @Override
    public boolean accept(byte[] bytes, int offset, int length) {
        return emit(emitter, Arrays.copyOfRange(bytes, offset, offset + length));
    }

    @Override
    public boolean open() {
        return !emitter.isCancelled();
    }

    /** Emits {@code bytes} once the client wants more; false once it is gone. */
    static boolean emit(MultiEmitter<? super byte[]> emitter, byte[] bytes) {
        while (emitter.requested() == 0 && !emitter.isCancelled()) {
            try {
                Thread.sleep(BACKPRESSURE_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        if (emitter.isCancelled()) {
            return false;
        }
        emitter.emit(bytes);
        return true;
    }
}
