package dev.nanofleet.controlapi.problem;

import java.util.List;

/** The {@code limit} query parameter of the API's lists: a whole number from 1 to the list's maximum. */
public final class PageLimit {

    private PageLimit() {
    }

    /**
     * The limit asked for, the default when none was, or -1 with a field error naming {@code limit} when it is not a
     * whole number in [1, max]. The caller trims the text as its list always has.
     */
    public static int parse(String text, int defaultLimit, int max, List<FieldError> errors) {
        if (text == null) {
            return defaultLimit;
        }
        int limit;
        try {
            limit = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > max) {
            errors.add(new FieldError("limit", "must be a whole number from 1 to " + max));
        }
        return limit;
    }
}
