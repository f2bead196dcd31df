package dev.nanofleet.tenantbilling.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An RFC 9457 problem detail, shaped like control-api's; {@code errors} lists the invalid fields of a 400. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "instance", "errors"})
@Schema(description = "An RFC 9457 problem; clients switch on type (urn:nanofleet:problem:...)")
public record Problem(@Schema(required = true) URI type, @Schema(required = true) String title,
        @Schema(required = true) int status, String detail, URI instance,
        @Schema(description = "the invalid fields or query parameters of a 400") List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
