package dev.nanofleet.controlapi.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 9457 problem detail. {@code errors} lists the invalid fields of a 400 and {@code quota} names
 * the quota a 422 quota-exceeded would pass; both are absent otherwise.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "An RFC 9457 problem; clients switch on type (urn:nanofleet:problem:...)")
public record Problem(@Schema(required = true) URI type, @Schema(required = true) String title,
        @Schema(required = true) int status, String detail, URI instance,
        @Schema(description = "the invalid fields of a 400, by JSON path") List<FieldError> errors,
        @Schema(description = "the quota a 422 quota-exceeded would pass") QuotaExceeded quota) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem(URI type, String title, int status, String detail, URI instance, List<FieldError> errors) {
        this(type, title, status, detail, instance, errors, null);
    }
}
