package dev.nanofleet.scheduler.service;

import dev.nanofleet.events.Isolation;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** Stores a set of isolation modes as sorted, comma-separated names. */
@Converter
class IsolationsConverter implements AttributeConverter<Set<Isolation>, String> {

    @Override
    public String convertToDatabaseColumn(Set<Isolation> isolations) {
        if (isolations == null) {
            return "";
        }
        return isolations.stream().sorted().map(Isolation::name).collect(Collectors.joining(","));
    }

    @Override
    public Set<Isolation> convertToEntityAttribute(String column) {
        Set<Isolation> isolations = EnumSet.noneOf(Isolation.class);
        if (column != null && !column.isBlank()) {
            Arrays.stream(column.split(",")).map(String::trim).map(Isolation::valueOf).forEach(isolations::add);
        }
        return Set.copyOf(isolations);
    }
}
