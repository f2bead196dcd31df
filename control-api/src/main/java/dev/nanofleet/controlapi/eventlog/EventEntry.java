package dev.nanofleet.controlapi.eventlog;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One event of {@code GET /v1/events}.
 *
 * @param id the event's place in the log, as a string: increasing in the order events were stored; the SSE id a
 *        follower resumes after
 */
@Schema(name = "EventEntry", description = "One event of the log")
public record EventEntry(
        @Schema(required = true, description = "the event's place in the log (increasing); resume after it with after= or Last-Event-ID", example = "1042") String id,
        @Schema(required = true, description = "the event's own id (CloudEvents id)") UUID eventId,
        @Schema(required = true, description = "the event type", example = "instance.state-changed") String type,
        @Schema(required = true, description = "when it happened") Instant time,
        @Schema(required = true, nullable = true, description = "whose event it is; null for fleet events (operators only)") String tenant,
        @Schema(required = true, nullable = true, description = "the deployment it is about") UUID deploymentId,
        @Schema(required = true, nullable = true, description = "the instance it is about, when it has one") UUID instanceId,
        @Schema(required = true, nullable = true, description = "who caused it through the API: user:<name> or token:<id>; billing for what a reached spend limit did; null when the platform did otherwise") String actor,
        @Schema(required = true, type = SchemaType.OBJECT, description = "the event's payload, enums in lower case as elsewhere in this API") Map<String, Object> data) {
}
