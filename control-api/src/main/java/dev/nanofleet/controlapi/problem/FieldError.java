package dev.nanofleet.controlapi.problem;

/**
 * One invalid field of a request.
 *
 * @param field the JSON path of the field, e.g. {@code resources.memoryMiB} or {@code command[2]}
 */
public record FieldError(String field, String message) {
}
