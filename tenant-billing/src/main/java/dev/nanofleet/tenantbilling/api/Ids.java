package dev.nanofleet.tenantbilling.api;

import java.util.Optional;
import java.util.UUID;

/**
 * Ids taken from a request path. One that is not a UUID is answered like an unknown one: 404, never 400, as
 * control-api does.
 */
public final class Ids {

    private Ids() {
    }

    /** The UUID {@code id} spells in its canonical form (any case); empty for anything else, null included. */
    public static Optional<UUID> parse(String id) {
        try {
            UUID uuid = UUID.fromString(id);
            return uuid.toString().equalsIgnoreCase(id) ? Optional.of(uuid) : Optional.empty();
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
