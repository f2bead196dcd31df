package dev.nanofleet.controlapi.eventlog;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.controlapi.problem.Problem;
import dev.nanofleet.controlapi.problem.ProblemException;
import dev.nanofleet.controlapi.security.Caller;
import dev.nanofleet.controlapi.security.CallerIdentity;
import dev.nanofleet.controlapi.security.Scope;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The event log: a tenant's events (deployments, revisions, rollouts, instances' states and health, exec sessions,
 * quota refusals), oldest first, a page at a time or followed as Server-Sent Events. Operators see every tenant's and
 * the nodes' events.
 */
@Path("/v1/events")
@Authenticated
@Tag(name = "events", description = "What happened: the event log, listed or followed")
public class EventLogResource {

    static final String SSE = "text/event-stream";

    private final EventLogStore store;
    private final EventLogTail tail;
    private final EventLogConfig config;
    private final Caller caller;
    private final ObjectMapper json;

    EventLogResource(EventLogStore store, EventLogTail tail, EventLogConfig config, Caller caller,
            ObjectMapper json) {
        this.store = store;
        this.tail = tail;
        this.config = config;
        this.caller = caller;
        this.json = json;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, SSE})
    @Operation(operationId = "listEvents", summary = "Events oldest first, a page at a time; with follow=true a Server-Sent Events stream that goes on with each new event")
    @APIResponse(responseCode = "200", description = "a page (when more follow, the Link header (rel=next) and Nanofleet-Next-Cursor say where the next starts); or, with follow=true, an SSE stream: each event's `id:` is its log id, `data:` the event as in the list; comments keep an idle stream open", headers = {
            @Header(name = "Link", description = "<...?cursor=...>; rel=\"next\" when more follow", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = "Nanofleet-Next-Cursor", description = "the cursor of the next page when more follow", schema = @Schema(type = SchemaType.STRING))}, content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = EventEntry.class)),
                    @Content(mediaType = SSE, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "400", description = "invalid type, deployment, since, tenant, cursor, after, Last-Event-ID, limit or follow", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response list(
            @QueryParam("type") @Parameter(description = "only these event types, comma-separated (e.g. instance.state-changed,deployment.scaled)") String type,
            @QueryParam("deployment") @Parameter(description = "only events about this deployment; another tenant's id answers an empty list, as an unknown one does", schema = @Schema(type = SchemaType.STRING, format = "uuid")) String deployment,
            @QueryParam("since") @Parameter(description = "only events that happened at or after this RFC 3339 time", schema = @Schema(type = SchemaType.STRING, format = "date-time")) String since,
            @QueryParam("tenant") @Parameter(description = "operators: only this tenant's events") String tenant,
            @QueryParam("cursor") @Parameter(description = "where the previous page ended (its Nanofleet-Next-Cursor)") String cursor,
            @QueryParam("after") @Parameter(description = "only events after this log id (an SSE id)", schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0")) String after,
            @HeaderParam("Last-Event-ID") @Parameter(description = "what an SSE client sends when it reconnects: the same as after") String lastEventId,
            @QueryParam("limit") @Parameter(description = "at most this many per page, 1..500 (default 100)", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500", defaultValue = "100")) String limit,
            @QueryParam("follow") @Parameter(description = "stream the events as Server-Sent Events and keep streaming new ones", schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false")) String follow,
            UriInfo uri) {
        EventLogQuery.Parsed parsed = EventLogQuery.parse(new EventLogQuery.Raw(type, deployment, since, tenant,
                cursor, after, lastEventId, limit, follow));
        String reader = reader(tenant);
        if (!parsed.errors().isEmpty()) {
            throw ProblemException.invalid(parsed.errors());
        }
        EventLogQuery query = parsed.query();
        if (query.follow()) {
            return Response.ok(new EventStream(store, tail, json, reader, query, config.keepAlive()), SSE)
                    .header(HttpHeaders.CACHE_CONTROL, "no-cache").header("X-Accel-Buffering", "no").build();
        }
        List<EventEntry> found = store.read(reader, query, query.after(), query.limit() + 1);
        boolean more = found.size() > query.limit();
        List<EventEntry> page = more ? found.subList(0, query.limit()) : found;
        Response.ResponseBuilder response = Response.ok(page, MediaType.APPLICATION_JSON);
        if (more) {
            String next = EventLogQuery.cursor(Long.parseLong(page.get(page.size() - 1).id()));
            response.header("Nanofleet-Next-Cursor", next).header(HttpHeaders.LINK,
                    "<" + uri.getRequestUriBuilder().replaceQueryParam("after").replaceQueryParam("cursor", next)
                            .build() + ">; rel=\"next\"");
        }
        return response.build();
    }

    /**
     * Whose events the caller may read: its own tenant's, or (null) everyone's for an operator without a tenant. Only
     * operators may name a tenant; a tenant naming its own is allowed.
     */
    private String reader(String tenantParam) {
        CallerIdentity identity = caller.identity();
        if (identity.operator() && identity.tenant() == null) {
            caller.operator(Scope.READ);
            return null;
        }
        String own = caller.tenant(Scope.READ).id();
        if (tenantParam != null && !tenantParam.isBlank() && !tenantParam.strip().equals(own)) {
            throw ProblemException.forbidden("only operators may read another tenant's events");
        }
        return own;
    }
}
