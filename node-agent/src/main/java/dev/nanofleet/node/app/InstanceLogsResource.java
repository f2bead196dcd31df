package dev.nanofleet.node.app;

import dev.nanofleet.node.logs.InstanceLogs;
import dev.nanofleet.node.logs.LogReader;
import dev.nanofleet.nodeapi.NodeApi;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

/**
 * An instance's output (stdout and stderr, combined, in order), for control-api only: the bearer must be a grant
 * control-api signed for this node and this instance ({@link dev.nanofleet.node.logs.LogsGrantCheck}). Before the
 * agent has registered it knows no key, so it refuses everyone.
 *
 * <p>
 * The body is streamed in chunks as the files are read; with {@code follow=true} it stays open and carries what the
 * instance writes until the instance has ended and everything is delivered, or the client disconnects (which cancels
 * the stream and stops the reading thread).
 */
@Path(NodeApi.AGENT_INSTANCE_LOGS)
public class InstanceLogsResource {

    public static final int MAX_TAIL = 10_000;
    private static final Logger LOG = Logger.getLogger(InstanceLogsResource.class);

    private final NodeLogs logs;

    public InstanceLogsResource(NodeLogs logs) {
        this.logs = logs;
    }

    @GET
    @Produces("text/plain;charset=UTF-8")
    @Operation(summary = "An instance's output: the last `tail` lines, then (with follow=true) what it writes next")
    public Multi<byte[]> logs(@PathParam("instanceId") String instanceId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("tail") @DefaultValue("100") int tail,
            @QueryParam("follow") @DefaultValue("false") boolean follow) {
        Optional<UUID> id = parse(instanceId);
        String refusal = logs.grants().refusal(authorization, id.orElse(null));
        if (refusal != null) {
            LOG.warnf("event=logs.refused instance=%s reason=\"%s\"", instanceId, refusal);
            throw new NotAuthorizedException(refusal, "Bearer");
        }
        if (tail < 1 || tail > MAX_TAIL) {
            throw new BadRequestException("tail must be between 1 and " + MAX_TAIL);
        }
        InstanceLogs.Instance instance = id.flatMap(logs.instances()::find)
                .orElseThrow(() -> new NotFoundException("no instance " + instanceId + " on this node"));
        LogReader reader = logs.reader();
        return Multi.createFrom().emitter(emitter -> {
            Thread reading = Thread.ofVirtual().name("logs-" + instance.id()).unstarted(() -> {
                try {
                    reader.read(instance.log(), tail, follow, instance::ended, new EmitterSink(emitter));
                    emitter.complete();
                } catch (InterruptedException e) {
                    emitter.complete(); // cancelled: the client is gone
                } catch (RuntimeException e) {
                    LOG.warnf("event=logs.read.failed instance=%s reason=\"%s\"", instance.id(), e.getMessage());
                    emitter.fail(e);
                }
            });
            emitter.onTermination(reading::interrupt);
            reading.start();
        });
    }

    private static Optional<UUID> parse(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
