package dev.nanofleet.controlapi.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 9457 problem detail. {@code errors} lists the invalid fields of a 400, {@code quota} names the quota a 422
 * quota-exceeded would pass, and a 402 spend-limit-reached carries {@code limit}, {@code spend}, {@code currency} and
 * {@code periodEnd}; they are absent otherwise. Amounts are decimal strings, exact as billing counts them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "An RFC 9457 problem; clients switch on type (urn:nanofleet:problem:...)")
public record Problem(@Schema(required = true) URI type, @Schema(required = true) String title,
        @Schema(required = true) int status, String detail, URI instance,
        @Schema(description = "the invalid fields of a 400, by JSON path") List<FieldError> errors,
        @Schema(description = "the quota a 422 quota-exceeded would pass") QuotaExceeded quota,
        @Schema(type = SchemaType.STRING, pattern = "^[0-9]+(\\.[0-9]+)?$", example = "25.00", description = "a 402 spend-limit-reached: the tenant's hard spend limit, in currency") String limit,
        @Schema(type = SchemaType.STRING, pattern = "^[0-9]+(\\.[0-9]+)?$", example = "25.00", description = "a 402 spend-limit-reached: what the tenant spent in the period, in currency") String spend,
        @Schema(example = "USD", description = "a 402 spend-limit-reached: the currency of limit and spend") String currency,
        @Schema(description = "a 402 spend-limit-reached: when the billing period ends (and a new limit applies)") Instant periodEnd) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem(URI type, String title, int status, String detail, URI instance, List<FieldError> errors) {
        this(type, title, status, detail, instance, errors, null);
    }

    public Problem(URI type, String title, int status, String detail, URI instance, List<FieldError> errors,
            QuotaExceeded quota) {
        this(type, title, status, detail, instance, errors, quota, null, null, null, null);
    }

    /** The problem a {@link ProblemException} describes, with whichever members its type carries. */
    static Problem of(ProblemException e, URI instance) {
        SpendHeld held = e.spendHeld();
        return new Problem(e.type().uri(), e.type().title(), e.type().status(), e.getMessage(), instance, e.errors(),
                e.quota(), held == null ? null : held.limit().toPlainString(),
                held == null ? null : held.spend().toPlainString(), held == null ? null : held.currency(),
                held == null ? null : held.periodEnd());
    }
}
