package dev.nanofleet.tenantbilling.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One invalid field or query parameter of a request, as control-api names them.
 *
 * @param field the JSON path of the field ({@code alertThresholds[2]}) or the query parameter's name ({@code from})
 */
public record FieldError(@Schema(required = true) String field, @Schema(required = true) String message) {
}
