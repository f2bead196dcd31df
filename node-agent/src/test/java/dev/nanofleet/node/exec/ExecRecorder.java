package dev.nanofleet.node.exec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** An {@link ExecListener} that keeps everything, for assertions. */
final class ExecRecorder implements ExecListener {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final CompletableFuture<Integer> exit = new CompletableFuture<>();
    volatile String reason;

    @Override
    public synchronized void stdout(byte[] bytes) {
        out.writeBytes(bytes);
    }

    @Override
    public synchronized void stderr(byte[] bytes) {
        err.writeBytes(bytes);
    }

    @Override
    public void exited(int exitCode, String why) {
        reason = why;
        exit.complete(exitCode);
    }

    synchronized String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    synchronized String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
