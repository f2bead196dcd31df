package dev.nanofleet.node.app;

import dev.nanofleet.nodeapi.ExecChannels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanofleet.node.exec.ExecGrantCheck;
import dev.nanofleet.node.exec.ExecListener;
import dev.nanofleet.node.exec.ExecRefused;
import dev.nanofleet.node.exec.ExecRequest;
import dev.nanofleet.node.exec.ExecSession;
import dev.nanofleet.node.exec.InstanceExec;
import dev.nanofleet.nodeapi.NodeApi;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * {@code GET /v1/agent/instances/{id}/exec}: a WebSocket into a process started in an instance, for control-api only
 * (an exec grant for this node, instance, command, tty and stdin, used once). Everything is checked before the upgrade,
 * so a refusal is a plain HTTP status. The messages are control-api's public exec protocol ({@link ExecChannels}); the
 * session ends when the process ends (a status message, then a close) or when control-api closes (the process is
 * killed).
 *
 * <p>
 * A plain Vert.x route rather than a websockets-next endpoint: a refusal must carry its reason before the upgrade, and
 * the relay needs the socket's write queue for backpressure.
 */
@ApplicationScoped
public class InstanceExecRoute {

    private static final Logger LOG = Logger.getLogger(InstanceExecRoute.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NodeExecs execs;

    public InstanceExecRoute(NodeExecs execs) {
        this.execs = execs;
    }

    void routes(@Observes Router router) {
        router.get(NodeApi.AGENT_INSTANCE_EXEC.replace("{instanceId}", ":instanceId")).handler(this::upgrade);
    }

    private void upgrade(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String idText = ctx.pathParam("instanceId");
        UUID id = parse(idText);
        List<String> command = request.params().getAll("command");
        Boolean tty = bool(request.getParam("tty", "false"));
        Boolean stdin = bool(request.getParam("stdin", "false"));
        if (tty == null || stdin == null) {
            refuse(ctx, 400, "tty and stdin must be true or false");
            return;
        }
        ExecGrantCheck.Outcome grant = execs.grants().check(request.getHeader("Authorization"), id, command, tty,
                stdin);
        if (grant.refusal() != null) {
            LOG.warnf("event=exec.refused instance=%s reason=\"%s\"", idText, grant.refusal());
            refuse(ctx, 401, grant.refusal());
            return;
        }
        Optional<InstanceExec> exec = execs.exec();
        if (exec.isEmpty()) {
            refuse(ctx, 503, "this node has no exec helper (nanofleet.node.exec.helper)");
            return;
        }
        ExecRequest what;
        try {
            what = ExecRequest.of(command, tty, stdin);
            exec.get().requireRunning(id);
        } catch (IllegalArgumentException e) {
            refuse(ctx, 400, e.getMessage());
            return;
        } catch (ExecRefused e) {
            refuse(ctx, switch (e.why()) {
                case NOT_FOUND -> 404;
                case NOT_RUNNING -> 409;
                case UNAVAILABLE -> 503;
            }, e.getMessage());
            return;
        }
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            refuse(ctx, 400, "a WebSocket upgrade is required");
            return;
        }
        Vertx vertx = ctx.vertx();
        request.toWebSocket().onSuccess(ws -> new Relay(ws, vertx, grant.grant().sessionId()).start(exec.get(), id,
                what)).onFailure(e -> LOG.warnf("event=exec.upgrade.failed instance=%s reason=\"%s\"", id,
                        e.getMessage()));
    }

    private static void refuse(RoutingContext ctx, int status, String reason) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain;charset=UTF-8").end(reason);
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    private static Boolean bool(String value) {
        return "true".equals(value) ? Boolean.TRUE : "false".equals(value) ? Boolean.FALSE : null;
    }

    /** One session: WebSocket messages to the process, its output and end back. */
    private static final class Relay implements ExecListener {
        private final ServerWebSocket ws;
        private final Vertx vertx;
        private final UUID sessionId;
        private volatile ExecSession session;
        private volatile boolean closed;
        private volatile boolean ended;

        Relay(ServerWebSocket ws, Vertx vertx, UUID sessionId) {
            this.ws = ws;
            this.vertx = vertx;
            this.sessionId = sessionId;
        }

        void start(InstanceExec exec, UUID id, ExecRequest what) {
            ws.pause(); // until the process runs: stdin has nowhere to go before
            ws.binaryMessageHandler(this::fromClient);
            ws.textMessageHandler(text -> ws.close((short) 1003, "binary messages only"));
            ws.closeHandler(v -> {
                closed = true;
                ExecSession s = session;
                if (s != null && !ended) {
                    s.kill();
                }
            });
            LOG.infof("event=exec.started instance=%s session=%s tty=%s stdin=%s", id, sessionId, what.tty(),
                    what.stdin());
            vertx.<ExecSession>executeBlocking(() -> exec.open(id, what, this), false).onSuccess(s -> {
                session = s;
                if (closed) {
                    s.kill();
                }
                ws.resume();
            }).onFailure(e -> exited(-1, e.getMessage()));
        }

        private void fromClient(Buffer message) {
            ExecSession s = session;
            if (message.length() == 0 || s == null) {
                return;
            }
            if (message.length() > ExecChannels.MAX_MESSAGE) {
                ws.close((short) 1009, "message too big");
                return;
            }
            int channel = message.getByte(0) & 0xff;
            byte[] data = message.getBytes(1, message.length());
            switch (channel) {
                case ExecChannels.STDIN -> s.stdin(data);
                case ExecChannels.RESIZE -> {
                    try {
                        JsonNode size = JSON.readTree(data);
                        s.resize(size.path("Width").asInt(0), size.path("Height").asInt(0));
                    } catch (IOException e) {
                        // not a size: ignored, as Kubernetes does
                    }
                }
                case ExecChannels.CLOSE -> {
                    if (data.length > 0 && data[0] == ExecChannels.STDIN) {
                        s.closeStdin();
                    }
                }
                default -> {
                    // no other channel comes from a client
                }
            }
        }

        private void send(int channel, byte[] bytes) {
            // slow down the process while control-api reads slower than it writes
            while (ws.writeQueueFull() && !closed) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
            if (!closed) {
                ws.writeBinaryMessage(Buffer.buffer(bytes.length + 1).appendByte((byte) channel).appendBytes(bytes));
            }
        }

        @Override
        public void stdout(byte[] bytes) {
            send(ExecChannels.STDOUT, bytes);
        }

        @Override
        public void stderr(byte[] bytes) {
            send(ExecChannels.STDERR, bytes);
        }

        @Override
        public void exited(int exitCode, String reason) {
            ended = true;
            ObjectNode status = JSON.createObjectNode();
            status.put("status", exitCode == 0 ? "Success" : "Failure");
            if (exitCode >= 0) {
                status.put("exitCode", exitCode);
            } else {
                status.putNull("exitCode");
            }
            if (reason != null) {
                status.put("reason", reason);
            }
            LOG.infof("event=exec.ended session=%s exitCode=%d reason=\"%s\"", sessionId, exitCode, reason);
            try {
                send(ExecChannels.STATUS, JSON.writeValueAsBytes(status));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            if (!closed) {
                ws.close((short) 1000, "ended");
            }
        }
    }
}
