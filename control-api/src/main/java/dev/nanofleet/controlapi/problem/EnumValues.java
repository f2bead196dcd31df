package dev.nanofleet.controlapi.problem;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The values a JSON enum field accepts, as a client writes them. */
final class EnumValues {

    private EnumValues() {
    }

    static String of(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants()).map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
