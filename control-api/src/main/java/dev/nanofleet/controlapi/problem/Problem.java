package dev.nanofleet.controlapi.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 9457 problem detail. {@code errors} lists the invalid fields of a 400 and is absent otherwise.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "An RFC 9457 problem; clients switch on type (urn:nanofleet:problem:...)")
public record Problem(@Schema(required = true) URI type, @Schema(required = true) String title,
        @Schema(required = true) int status, String detail, URI instance,
        @Schema(description = "the invalid fields of a 400, by JSON path") List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
