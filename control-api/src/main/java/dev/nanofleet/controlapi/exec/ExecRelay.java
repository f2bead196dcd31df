package dev.nanofleet.controlapi.exec;

import dev.nanofleet.nodeapi.ExecChannels;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketBase;
import java.util.function.BiConsumer;

/**
 * Joins a client's WebSocket to the node agent's for one session. From the client only stdin, resize and close
 * messages pass; from the agent only stdout, stderr and status; anything bigger than {@link ExecProtocol#MAX_MESSAGE}
 * ends the session. Each side is paused while the other's write queue is full. The session ends when either side
 * closes; {@code onEnd} gets the exit code (null when the process did not end by itself) and a reason, once.
 * Event-loop confined: every handler runs on the connection's context.
 */
final class ExecRelay {

    /** What the agent's status message said. */
    record Status(Integer exitCode, String reason) {
    }

    private final ServerWebSocket client;
    private final WebSocket agent;
    private final BiConsumer<Integer, String> onEnd;
    private Status status;
    private boolean ended;

    ExecRelay(ServerWebSocket client, WebSocket agent, BiConsumer<Integer, String> onEnd) {
        this.client = client;
        this.agent = agent;
        this.onEnd = onEnd;
    }

    void start() {
        client.binaryMessageHandler(m -> {
            if (!allowed(m, true)) {
                end(client, 1008, "not an exec message from a client", null, "the client broke the protocol");
                return;
            }
            forward(agent, client, m);
        });
        client.textMessageHandler(
                t -> end(client, 1003, "binary messages only", null, "the client broke the protocol"));
        agent.binaryMessageHandler(m -> {
            if (!allowed(m, false)) {
                end(agent, 1011, "the node broke the protocol", null, "the node broke the protocol");
                return;
            }
            if ((m.getByte(0) & 0xff) == ExecChannels.STATUS) {
                status = ExecRoute.status(m.getBytes(1, m.length()));
            }
            forward(client, agent, m);
        });
        agent.textMessageHandler(t -> end(agent, 1011, "the node broke the protocol", null,
                "the node broke the protocol"));
        client.closeHandler(v -> end(client, 1000, "client closed", null, "the client closed the session"));
        agent.closeHandler(v -> end(agent, 1000, "ended", null, "the node closed the session"));
        client.exceptionHandler(e -> end(client, 1011, "client error", null, "the client's connection failed"));
        agent.exceptionHandler(e -> end(agent, 1011, "node error", null, "the node's connection failed"));
    }

    private static boolean allowed(Buffer m, boolean fromClient) {
        if (m.length() == 0 || m.length() > ExecChannels.MAX_MESSAGE) {
            return false;
        }
        int channel = m.getByte(0) & 0xff;
        return fromClient
                ? channel == ExecChannels.STDIN || channel == ExecChannels.RESIZE || channel == ExecChannels.CLOSE
                : channel == ExecChannels.STDOUT || channel == ExecChannels.STDERR || channel == ExecChannels.STATUS;
    }

    private static void forward(WebSocketBase to, WebSocketBase from, Buffer m) {
        if (to.isClosed()) {
            return;
        }
        to.writeBinaryMessage(m);
        if (to.writeQueueFull()) {
            from.pause();
            to.drainHandler(v -> from.resume());
        }
    }

    /** Closes both sides; the first call decides how the session ended. */
    private void end(WebSocketBase closing, int code, String why, Integer exitCode, String reason) {
        if (ended) {
            return;
        }
        ended = true;
        WebSocketBase other = closing == client ? agent : client;
        if (!closing.isClosed()) {
            closing.close((short) code, why);
        }
        if (!other.isClosed()) {
            other.close((short) (code == 1000 ? 1000 : 1011), why);
        }
        Status s = status;
        if (s != null && s.exitCode() != null) {
            onEnd.accept(s.exitCode(), null);
        } else {
            onEnd.accept(exitCode, s != null && s.reason() != null ? s.reason() : reason);
        }
    }
}
