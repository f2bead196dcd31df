package dev.nanofleet.controlapi.problem;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One invalid field of a request.
 *
 * @param field the JSON path of the field, e.g. {@code resources.memoryMiB} or {@code command[2]}
 */
public record FieldError(@Schema(required = true) String field, @Schema(required = true) String message) {
}
