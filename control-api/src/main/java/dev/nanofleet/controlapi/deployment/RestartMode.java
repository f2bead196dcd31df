package dev.nanofleet.controlapi.deployment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.nanofleet.nodeapi.RestartPolicy;
import java.util.Arrays;
import java.util.Locale;

/** The restart modes as the API spells them: {@code never}, {@code on-failure}, {@code always}. */
public enum RestartMode {
    NEVER(RestartPolicy.Mode.NEVER), ON_FAILURE(RestartPolicy.Mode.ON_FAILURE), ALWAYS(RestartPolicy.Mode.ALWAYS);

    private final RestartPolicy.Mode mode;

    RestartMode(RestartPolicy.Mode mode) {
        this.mode = mode;
    }

    public RestartPolicy.Mode mode() {
        return mode;
    }

    public static RestartMode of(RestartPolicy.Mode mode) {
        return Arrays.stream(values()).filter(m -> m.mode == mode).findFirst().orElseThrow();
    }

    @JsonCreator
    public static RestartMode parse(String value) {
        if (value == null) {
            return null;
        }
        for (RestartMode m : values()) {
            if (m.json().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not one of [never, on-failure, always]");
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
