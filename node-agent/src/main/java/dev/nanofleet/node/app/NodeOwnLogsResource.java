package dev.nanofleet.node.app;

import dev.nanofleet.events.EventCodec;
import dev.nanofleet.node.logs.AgentLogSource;
import dev.nanofleet.node.logs.KernelMessages;
import dev.nanofleet.node.logs.KmsgRecord;
import dev.nanofleet.node.logs.LogReader;
import dev.nanofleet.node.logs.NodeLogQuery;
import dev.nanofleet.nodeapi.NodeApi;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

/**
 * The node's own logs, for control-api only (a {@link dev.nanofleet.nodeapi.NodeLogsGrant} for this node): a node OS
 * has no login, so this is how an operator reads what the agent logged and what the kernel said. {@code source=agent}
 * is the agent's own log ({@link AgentLogSource}), {@code source=kernel} the kernel's ring buffer
 * ({@link KernelMessages}), printed as {@code dmesg} does.
 *
 * <p>
 * Errors before the first byte are problem JSON: 401 without control-api's grant, 400 naming a bad parameter, 409 when
 * the log cannot be read on this node (with why). With {@code follow=true} the body stays open until the client
 * disconnects, which cancels the stream and stops the reading thread (or process).
 */
@Path(NodeApi.AGENT_NODE_LOGS)
public class NodeOwnLogsResource {

    private static final Logger LOG = Logger.getLogger(NodeOwnLogsResource.class);
    private static final String PROBLEM = "application/problem+json";

    private final NodeLogs logs;

    public NodeOwnLogsResource(NodeLogs logs) {
        this.logs = logs;
    }

    @GET
    @Blocking // reading the kernel's backlog, or looking for the agent's log, before the answer starts
    @Produces("text/plain;charset=UTF-8")
    @Operation(summary = "The node's own log (source=agent) or kernel messages (source=kernel): the last `tail` lines, then with follow=true what comes next")
    public Multi<byte[]> logs(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("source") String source, @QueryParam("tail") String tail,
            @QueryParam("follow") String follow) {
        String refusal = logs.nodeGrants().refusal(authorization);
        if (refusal != null) {
            LOG.warnf("event=node.logs.refused reason=\"%s\"", refusal);
            throw problem(Response.Status.UNAUTHORIZED, "unauthorized", refusal, Map.of());
        }
        NodeLogQuery query;
        try {
            query = NodeLogQuery.parse(source, tail, follow);
        } catch (NodeLogQuery.Invalid e) {
            throw problem(Response.Status.BAD_REQUEST, "invalid node logs query",
                    "invalid " + String.join(", ", e.fields().keySet()), e.fields());
        }
        return switch (query.source()) {
            case KERNEL -> kernel(query);
            case AGENT -> agent(query);
        };
    }

    private Multi<byte[]> kernel(NodeLogQuery query) {
        KernelMessages kernel = logs.kernel();
        List<KmsgRecord> backlog;
        try {
            backlog = kernel.backlog();
        } catch (KernelMessages.NotReadable e) {
            throw notReadable("kernel messages not readable on this node: " + e.getMessage());
        }
        List<KmsgRecord> tail = KmsgRecord.last(backlog, query.tail());
        long lastSeq = backlog.isEmpty() ? -1 : backlog.getLast().seq();
        return stream("node-logs-kernel", true, emitter -> {
            StringBuilder text = new StringBuilder();
            tail.forEach(r -> text.append(r.formatted()));
            if (!text.isEmpty() && !EmitterSink.emit(emitter, text.toString().getBytes(StandardCharsets.UTF_8))) {
                return;
            }
            if (query.follow()) {
                kernel.follow(lastSeq, r -> EmitterSink.emit(emitter, r.formatted().getBytes(StandardCharsets.UTF_8)));
            }
        });
    }

    private Multi<byte[]> agent(NodeLogQuery query) {
        AgentLogSource.Plan plan = logs.agentLog(query.tail(), query.follow());
        return switch (plan) {
            case AgentLogSource.Unreadable u -> throw notReadable("the agent's log is not readable on this node: "
                    + u.why());
            case AgentLogSource.File f -> {
                LogReader reader = logs.reader();
                yield stream("node-logs-agent", false, emitter -> reader.read(f.path(), query.tail(),
                        query.follow(), () -> false, new EmitterSink(emitter)));
            }
            case AgentLogSource.Command c -> run(c.argv());
        };
    }

    /**
     * Runs the command and streams its output; the process is killed when the client goes away, which ends its output
     * and with it the reading thread (a read of a pipe does not heed an interrupt).
     */
    private static Multi<byte[]> run(List<String> argv) {
        return Multi.createFrom().emitter(emitter -> {
            Process process;
            try {
                process = new ProcessBuilder(argv)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                LOG.warnf("event=node.logs.read.failed command=%s reason=\"%s\"", argv.getFirst(), e.getMessage());
                emitter.fail(e);
                return;
            }
            emitter.onTermination(process::destroyForcibly);
            Thread.ofVirtual().name("node-logs-command").start(() -> {
                try (InputStream out = process.getInputStream()) {
                    byte[] buffer = new byte[64 * 1024];
                    int n;
                    while ((n = out.read(buffer)) >= 0) {
                        if (n > 0 && !EmitterSink.emit(emitter, Arrays.copyOf(buffer, n))) {
                            break;
                        }
                    }
                    emitter.complete();
                } catch (IOException e) {
                    emitter.complete(); // killed because the client went away, or the tool ended
                } finally {
                    process.destroyForcibly();
                }
            });
        });
    }

    /** What a reading thread does; it may block. */
    private interface Reading {
        void run(MultiEmitter<? super byte[]> emitter) throws InterruptedException;
    }

    /**
     * Runs {@code reading} on its own thread once subscribed, and interrupts it when the client goes away. A platform
     * thread where a read of a device must be interruptible ({@link KernelMessages#follow}), else a virtual one.
     */
    private static Multi<byte[]> stream(String name, boolean platform, Reading reading) {
        return Multi.createFrom().emitter(emitter -> {
            Runnable body = () -> {
                try {
                    reading.run(emitter);
                    emitter.complete();
                } catch (InterruptedException e) {
                    emitter.complete(); // cancelled: the client is gone
                } catch (RuntimeException e) {
                    LOG.warnf("event=node.logs.read.failed reading=%s reason=\"%s\"", name, e.getMessage());
                    emitter.fail(e);
                }
            };
            Thread thread = platform
                    ? Thread.ofPlatform().daemon().name(name).unstarted(body)
                    : Thread.ofVirtual().name(name).unstarted(body);
            emitter.onTermination(thread::interrupt);
            thread.start();
        });
    }

    private static WebApplicationException notReadable(String detail) {
        LOG.warnf("event=node.logs.unreadable reason=\"%s\"", detail);
        return problem(Response.Status.CONFLICT, "log not readable", detail, Map.of());
    }

    /** An RFC 9457 problem; {@code fields} name the bad parameters. */
    private static WebApplicationException problem(Response.Status status, String title, String detail,
            Map<String, String> fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status.getStatusCode());
        body.put("detail", detail);
        if (!fields.isEmpty()) {
            List<Map<String, String>> errors = new ArrayList<>();
            fields.forEach((field, message) -> errors.add(Map.of("field", field, "message", message)));
            body.put("errors", errors);
        }
        String json;
        try {
            json = EventCodec.mapper().writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Response.ResponseBuilder response = Response.status(status).type(PROBLEM).entity(json);
        if (status == Response.Status.UNAUTHORIZED) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return new WebApplicationException(detail, response.build());
    }
}
